package run.codetether.gateway.api.worker;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.worker.WorkerCallReply;
import run.codetether.contracts.worker.WorkerCallRequest;
import run.codetether.contracts.worker.WorkerRegistration;
import run.codetether.contracts.worker.v1.Call;
import run.codetether.contracts.worker.v1.CallKind;
import run.codetether.contracts.worker.v1.CallResult;
import run.codetether.contracts.worker.v1.CancelCall;
import run.codetether.contracts.worker.v1.HubMessage;
import run.codetether.contracts.worker.v1.Register;
import run.codetether.contracts.worker.v1.Registered;
import run.codetether.contracts.worker.v1.WorkerMessage;
import run.codetether.gateway.config.WorkersConfig;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.worker.WorkerDirectory;
import run.codetether.gateway.infra.worker.KafkaWorkerBus;

/**
 * One worker's stream on this replica: admission and registration (first message), then calls out and answers in
 * (relayed to the asking agent on workers.results). A clean Deregister removes the worker at once; a broken stream
 * removes it after the grace period unless it has reconnected (here or on another replica) in the meantime.
 */
final class WorkerStream implements StreamObserver<WorkerMessage>, WorkerDirectory.Link {
    private static final Logger LOG = Logger.getLogger(WorkerStream.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final StreamObserver<HubMessage> out;
    private final WorkerCredentials.Presented presented;
    private final RequestGuard guard;
    private final WorkerDirectory directory;
    private final KafkaWorkerBus bus;
    private final WorkersConfig config;
    private final ExecutorService blocking;
    private final ScheduledExecutorService timers;
    /** call key -> the agent instance waiting for it */
    private final Map<String, String> replyTo = new ConcurrentHashMap<>();
    private volatile WorkerRegistration registration;
    private volatile boolean closed;
    /** When the worker last sent anything (its heartbeats included). */
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile java.util.concurrent.ScheduledFuture<?> watchdog;

    WorkerStream(StreamObserver<HubMessage> out, WorkerCredentials.Presented presented, RequestGuard guard,
            WorkerDirectory directory, KafkaWorkerBus bus, WorkersConfig config, ExecutorService blocking,
            ScheduledExecutorService timers) {
        this.out = out;
        this.presented = presented;
        this.guard = guard;
        this.directory = directory;
        this.bus = bus;
        this.config = config;
        this.blocking = blocking;
        this.timers = timers;
    }

    @Override
    public void onNext(WorkerMessage m) {
        lastSeenNanos = System.nanoTime();
        switch (m.getKindCase()) {
            case REGISTER -> blocking.execute(() -> register(m.getRegister()));
            case RESULT -> answer(m.getResult());
            case OUTPUT -> {
                String to = replyTo.get(m.getOutput().getCallKey());
                if (to != null) {
                    bus.reply(WorkerCallReply.output(m.getOutput().getCallKey(), to, m.getOutput().getText()));
                }
            }
            case DEREGISTER -> {
                WorkerRegistration r = registration;
                if (r != null && directory.detach(r.workerId(), this)) {
                    bus.tombstone(r.workerId());
                    LOG.infof("worker %s (%s) deregistered: %s", r.name(), r.workerId(),
                            m.getDeregister().getReason());
                }
                end(Status.OK);
            }
            case HEARTBEAT, KIND_NOT_SET -> {
                // the stream's own keep-alive is what detects a dead peer; heartbeats only keep proxies from idling
            }
        }
    }

    private void register(Register r) {
        if (registration != null) {
            end(Status.FAILED_PRECONDITION.withDescription("Register was already sent on this stream"));
            return;
        }
        Caller caller;
        try {
            caller = guard.admit(presented == null ? null : presented.authorization(),
                    presented == null ? null : presented.apiKey(), presented == null ? "unknown" : presented.remote());
        } catch (A2AException e) {
            end((e.error().httpStatus() == 429 ? Status.RESOURCE_EXHAUSTED : Status.UNAUTHENTICATED)
                    .withDescription(e.getMessage()));
            return;
        }
        String problem = invalid(r);
        if (problem != null) {
            end(Status.INVALID_ARGUMENT.withDescription(problem));
            return;
        }
        var reading = directory.notReadYet();
        if (reading.isPresent()) {
            // the conflict check needs every replica's workers: the worker connects again, as after a restart
            end(Status.UNAVAILABLE.withDescription(reading.get() + "; connect again in a moment"));
            return;
        }
        String owner = caller.clientId();
        List<String> names = r.getCodebasesList().stream().map(c -> c.getName()).toList();
        var conflict = directory.conflict(owner, r.getName(), names);
        if (conflict.isPresent()) {
            end(Status.ALREADY_EXISTS.withDescription(conflict.get()));
            return;
        }
        String workerId = WorkerDirectory.workerId(owner, r.getName());
        List<WorkerRegistration.Codebase> codebases = r.getCodebasesList().stream()
                .map(c -> new WorkerRegistration.Codebase(WorkerDirectory.codebaseId(owner, c.getName()), c.getName(),
                        c.getPathHash(), c.getGitRemote(), c.getGitBranch())).toList();
        List<WorkerRegistration.Tool> tools = r.getToolsList().stream().map(t -> new WorkerRegistration.Tool(
                t.getName(), t.getDescription(), t.getParametersJsonSchema(), t.getReadOnly(), t.getStreams(),
                t.getNetwork())).toList();
        WorkerRegistration reg = new WorkerRegistration(workerId, r.getName(), owner, r.getInstanceId(),
                r.getAutoApprove().isBlank() ? "safe" : r.getAutoApprove(), codebases, tools, directory.replica(),
                System.currentTimeMillis(), Instant.now(), r.getVersion());
        registration = reg;
        directory.attach(reg, this);
        bus.publish(reg);
        Registered.Builder ok = Registered.newBuilder().setWorkerId(workerId).setGatewayReplica(directory.replica())
                .setHeartbeatIntervalMs(config.heartbeatInterval().toMillis());
        codebases.forEach(c -> ok.putCodebaseIds(c.name(), c.id()));
        send(HubMessage.newBuilder().setRegistered(ok).build());
        long every = config.heartbeatInterval().toMillis();
        watchdog = timers.scheduleAtFixedRate(this::checkAlive, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("worker %s (%s) connected with codebases %s", reg.name(), workerId, names);
    }

    /**
     * A worker killed with SIGKILL, a closed laptop lid or a dead network may leave the stream open on this side
     * (seen with kill -9: no cancel reached the stream, and the worker stayed listed and waited for forever). A
     * worker sends a heartbeat every interval told in Registered: three intervals of silence break the stream.
     */
    private void checkAlive() {
        var w = watchdog;
        if (closed) {
            if (w != null) {
                w.cancel(false);
            }
            return;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSeenNanos);
        if (silentMs > 3 * config.heartbeatInterval().toMillis()) {
            WorkerRegistration r = registration;
            LOG.infof("worker %s sent nothing for %d ms (3 heartbeat intervals): its stream is broken",
                    r == null ? "?" : r.name(), silentMs);
            end(Status.UNAVAILABLE.withDescription("no heartbeat for " + silentMs + " ms"));
            broken();
            if (w != null) {
                w.cancel(false);
            }
        }
    }

    private static String invalid(Register r) {
        if (!NAME.matcher(r.getName()).matches()) {
            return "the worker name must be 1-64 characters of [A-Za-z0-9._-]";
        }
        if (r.getCodebasesCount() == 0) {
            return "a worker registers at least one codebase";
        }
        var seen = new HashSet<String>();
        for (var c : r.getCodebasesList()) {
            if (!NAME.matcher(c.getName()).matches() || c.getName().startsWith("cb-")) {
                return "codebase name '" + c.getName() + "' must be 1-64 characters of [A-Za-z0-9._-], not starting"
                        + " with 'cb-'";
            }
            if (!seen.add(c.getName())) {
                return "two codebases are named '" + c.getName() + "'";
            }
        }
        if (!List.of("", "none", "safe", "all").contains(r.getAutoApprove())) {
            return "auto_approve must be none, safe or all";
        }
        return null;
    }

    private void answer(CallResult r) {
        String to = replyTo.remove(r.getCallKey());
        if (to == null) {
            return; // a call of an earlier stream, or answered twice: the agent has (or will get) it by a re-send
        }
        bus.reply(switch (r.getOutcomeCase()) {
            case EXECUTED -> {
                ExecuteResponse e = r.getExecuted();
                yield new WorkerCallReply(r.getCallKey(), to, WorkerCallReply.RESULT, e.getOk(), e.getOutput(),
                        e.getError(), e.hasExitCode() ? e.getExitCode() : null, e.getTruncated(), e.getMetadataJson(),
                        e.getReplayed(), e.getDurationMs(), false, "", e.getInterrupted());
            }
            case PREVIEW -> new WorkerCallReply(r.getCallKey(), to, WorkerCallReply.PREVIEW, true, "",
                    r.getPreview().getError(), null, false, "", false, 0, r.getPreview().getHasPreview(),
                    r.getPreview().getDiff(), false);
            case REFUSED -> WorkerCallReply.refused(r.getCallKey(), to, r.getRefused());
            case OUTCOME_NOT_SET -> WorkerCallReply.refused(r.getCallKey(), to, "the worker sent an empty result");
        });
    }

    @Override
    public boolean deliver(WorkerCallRequest call) {
        if (closed) {
            return false;
        }
        HubMessage m;
        if (call.kind().equals(WorkerCallRequest.CANCEL)) {
            m = HubMessage.newBuilder().setCancel(CancelCall.newBuilder().setCallKey(call.callKey())).build();
        } else {
            replyTo.put(call.callKey(), call.replyTo());
            m = HubMessage.newBuilder().setCall(Call.newBuilder().setCallKey(call.callKey())
                    .setCodebase(call.codebase() == null ? "" : call.codebase())
                    .setKind(call.kind().equals(WorkerCallRequest.PREVIEW) ? CallKind.CALL_KIND_PREVIEW
                            : CallKind.CALL_KIND_EXECUTE)
                    .setToolName(call.tool() == null ? "" : call.tool()).setArgumentsJson(call.argumentsJson())
                    .setTimeoutMs(call.timeoutMs()).setStream(call.stream())).build();
        }
        return send(m);
    }

    private synchronized boolean send(HubMessage m) {
        if (closed) {
            return false;
        }
        try {
            out.onNext(m);
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("worker stream send failed: %s", e.toString());
            return false;
        }
    }

    private synchronized void end(Status status) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (status.isOk()) {
                out.onCompleted();
            } else {
                out.onError(status.asRuntimeException());
            }
        } catch (RuntimeException e) {
            // the peer has gone already
        }
    }

    @Override
    public void onError(Throwable t) {
        broken();
    }

    @Override
    public void onCompleted() {
        broken();
        end(Status.OK);
    }

    /** The stream ended without Deregister: the worker stays listed for the grace period, then goes. */
    private void broken() {
        closed = true;
        WorkerRegistration r = registration;
        if (r == null || !directory.detach(r.workerId(), this)) {
            return;
        }
        LOG.infof("worker %s (%s) stream broke; removing it in %s unless it reconnects", r.name(), r.workerId(),
                config.grace());
        timers.schedule(() -> {
            boolean replaced = directory.workers(r.owner()).stream().anyMatch(w -> w.workerId().equals(r.workerId())
                    && w.epoch() != r.epoch());
            if (!replaced && !directory.holds(r.workerId())) {
                bus.tombstone(r.workerId());
                LOG.infof("worker %s (%s) removed after the grace period", r.name(), r.workerId());
            }
        }, config.grace().toMillis(), TimeUnit.MILLISECONDS);
    }

}
