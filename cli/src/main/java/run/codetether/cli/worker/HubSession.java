package run.codetether.cli.worker;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import run.codetether.contracts.worker.v1.Call;
import run.codetether.contracts.worker.v1.CallKind;
import run.codetether.contracts.worker.v1.CallOutput;
import run.codetether.contracts.worker.v1.CallResult;
import run.codetether.contracts.worker.v1.Deregister;
import run.codetether.contracts.worker.v1.Heartbeat;
import run.codetether.contracts.worker.v1.HubMessage;
import run.codetether.contracts.worker.v1.Registered;
import run.codetether.contracts.worker.v1.WorkerMessage;
import run.codetether.tools.domain.OutputSink;

/**
 * One connection's life: the hub's messages in, the worker's messages out (serialised: a gRPC request stream is not
 * thread-safe), each call on its own virtual thread. Ends with {@link #ended()} completing with the status the
 * stream ended with (OK for a clean end).
 */
final class HubSession implements StreamObserver<HubMessage> {
    private final WorkerTools tools;
    private final ExecutorService calls;
    private final PrintStream log;
    private final Predicate<Call> approve;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final CompletableFuture<Registered> registered = new CompletableFuture<>();
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    /** Set when the worker shuts down: why (calls running then are cut and answered INTERRUPTED). */
    private volatile String stopping;
    private StreamObserver<WorkerMessage> out;

    HubSession(WorkerTools tools, ExecutorService calls, PrintStream log, Predicate<Call> approve) {
        this.tools = tools;
        this.calls = calls;
        this.log = log;
        this.approve = approve;
    }

    void attach(StreamObserver<WorkerMessage> out) {
        this.out = out;
    }

    CompletableFuture<Registered> registered() {
        return registered;
    }

    CompletableFuture<Status> ended() {
        return ended;
    }

    synchronized void send(WorkerMessage m) {
        if (!ended.isDone()) {
            out.onNext(m);
        }
    }

    void heartbeat() {
        send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtMs(System.currentTimeMillis()))
                .build());
    }

    /** Ctrl+C: tells the hub the worker is gone (its codebases at once, not after the grace period). */
    synchronized void deregister(String reason) {
        if (!ended.isDone()) {
            out.onNext(WorkerMessage.newBuilder().setDeregister(Deregister.newBuilder().setReason(reason)).build());
            out.onCompleted();
        }
    }

    @Override
    public void onNext(HubMessage m) {
        switch (m.getKindCase()) {
            case REGISTERED -> registered.complete(m.getRegistered());
            case CALL -> {
                Call call = m.getCall();
                AtomicBoolean cancelled = new AtomicBoolean();
                running.put(call.getCallKey(), cancelled);
                calls.execute(() -> runCall(call, cancelled));
            }
            case CANCEL -> {
                AtomicBoolean c = running.get(m.getCancel().getCallKey());
                if (c != null) {
                    c.set(true);
                }
            }
            case KIND_NOT_SET -> log.println("worker: ignoring an empty hub message");
        }
    }

    private void runCall(Call call, AtomicBoolean cancelled) {
        try {
            CallResult result;
            if (call.getKind() == CallKind.CALL_KIND_EXECUTE && tools.mutates(call.getToolName())
                    && !approve.test(call)) {
                result = CallResult.newBuilder().setCallKey(call.getCallKey()).setExecuted(
                        run.codetether.contracts.tools.v1.ExecuteResponse.newBuilder().setCallId(call.getCallKey())
                                .setOk(false).setError("denied by the worker's operator (--interactive): the call"
                                        + " was not run")).build();
            } else {
                result = tools.run(call, sink(call, cancelled));
            }
            log.printf("worker: %s %s on %s -> %s%n", call.getKind() == CallKind.CALL_KIND_PREVIEW ? "preview"
                    : "call", call.getToolName(), call.getCodebase(), outcome(result));
            send(WorkerMessage.newBuilder().setResult(result).build());
        } catch (RuntimeException e) {
            send(WorkerMessage.newBuilder().setResult(CallResult.newBuilder().setCallKey(call.getCallKey())
                    .setRefused("the worker failed to run the call: " + e)).build());
        } finally {
            running.remove(call.getCallKey());
        }
    }

    private static String outcome(CallResult r) {
        return switch (r.getOutcomeCase()) {
            case EXECUTED -> r.getExecuted().getOk() ? "ok" + (r.getExecuted().getReplayed() ? " (replayed)" : "")
                    : (r.getExecuted().getInterrupted() ? "interrupted: " : "failed: ") + r.getExecuted().getError();
            case PREVIEW -> "preview";
            case REFUSED -> "refused: " + r.getRefused();
            case OUTCOME_NOT_SET -> "?";
        };
    }

    /**
     * Where a call's output goes (the hub, for a streaming call) and when it stops: the hub canceled it, or this
     * worker cut it off, by stopping or by losing its stream; a cut call is INTERRUPTED, not a result of its tool.
     */
    private OutputSink sink(Call call, AtomicBoolean cancelled) {
        return new OutputSink() {
            public void stdout(String text) {
                chunk(text);
            }

            public void stderr(String text) {
                chunk(text);
            }

            private void chunk(String text) {
                if (call.getStream()) {
                    send(WorkerMessage.newBuilder().setOutput(CallOutput.newBuilder().setCallKey(call.getCallKey())
                            .setText(text)).build());
                }
            }

            @Override
            public boolean cancelled() {
                return cancelled.get() || ended.isDone() || stopping != null;
            }

            @Override
            public String interruption() {
                String stop = stopping;
                return stop != null ? stop + " while this call ran"
                        : ended.isDone() ? "the worker's connection to the gateway ended while this call ran" : null;
            }
        };
    }

    /**
     * The worker is shutting down: running calls are stopped and answered INTERRUPTED (their results go out while the
     * stream is still open, so the agent learns at once, not after its wait for the worker), for at most
     * {@code wait}; then the worker deregisters.
     */
    void stop(String reason, java.time.Duration wait) {
        stopping = reason;
        long deadline = System.nanoTime() + wait.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            log.println("worker: " + running.size() + " call(s) still running after " + wait.toSeconds() + " s;"
                    + " leaving (a repeat of them is answered INTERRUPTED from the start markers)");
        }
        deregister(reason);
    }

    @Override
    public void onError(Throwable t) {
        Status s = Status.fromThrowable(t);
        registered.completeExceptionally(t);
        ended.complete(s);
    }

    @Override
    public void onCompleted() {
        registered.completeExceptionally(new IllegalStateException("the hub ended the stream before Registered"));
        ended.complete(Status.OK);
    }
}
