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
                    : "failed: " + r.getExecuted().getError();
            case PREVIEW -> "preview";
            case REFUSED -> "refused: " + r.getRefused();
            case OUTCOME_NOT_SET -> "?";
        };
    }

    private OutputSink sink(Call call, AtomicBoolean cancelled) {
        if (!call.getStream()) {
            return new OutputSink() {
                public void stdout(String text) {}

                public void stderr(String text) {}

                @Override
                public boolean cancelled() {
                    return cancelled.get() || ended.isDone();
                }
            };
        }
        return new OutputSink() {
            public void stdout(String text) {
                chunk(text);
            }

            public void stderr(String text) {
                chunk(text);
            }

            private void chunk(String text) {
                send(WorkerMessage.newBuilder().setOutput(CallOutput.newBuilder().setCallKey(call.getCallKey())
                        .setText(text)).build());
            }

            @Override
            public boolean cancelled() {
                return cancelled.get() || ended.isDone();
            }
        };
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
