package run.codetether.agent.infra.tools;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ListToolsRequest;
import run.codetether.contracts.tools.v1.PreviewResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * tools-service over gRPC (codetether.tools.v1.ToolService). The tool list is cached for a minute ({@link #list}). Execute carries
 * the session id and the call id, which tools-service uses as its idempotency key. A deadline slightly above the
 * tool's own timeout bounds every call; an interrupt cancels the call.
 *
 * <p>A call that tools-service's death cuts off (status UNAVAILABLE, or a stream that ends without a result) is
 * repeated with the SAME request, so under the same call id, with backoff ({@link ToolRetry}) until tools-service
 * answers: from its result store when the call had finished, INTERRUPTED when it was still running (never run a
 * second time), or by running it when it never started. If tools-service does not come back within the retry time,
 * the outcome is {@link Outcome#interrupted}: the model is never handed a cut-off call as an ordinary result.
 */
public final class GrpcToolExecutor implements ToolExecutor, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GrpcToolExecutor.class);

    private final ManagedChannel channel;
    private final String target;
    private final SameCallRetry retry;
    private volatile List<ToolSpec> cached;
    private volatile Instant cachedAt = Instant.EPOCH;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Duration listFor;
    /** Cleared when tools-service answers ExecuteStream with UNIMPLEMENTED (an older release). */
    private volatile boolean streaming = true;

    public GrpcToolExecutor(String host, int port) {
        this(host, port, ToolRetry.DEFAULTS);
    }

    /** @param retry how long and how often a call cut off by tools-service's death is repeated */
    public GrpcToolExecutor(String host, int port, ToolRetry retry) {
        this(host, port, retry, Duration.ofMinutes(1));
    }

    /** @param listFor how long a tool list is answered before a refresh is started (tests shorten it) */
    public GrpcToolExecutor(String host, int port, ToolRetry retry, Duration listFor) {
        this.listFor = listFor;
        this.target = host + ":" + port;
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        this.retry = new SameCallRetry(channel, target, retry);
    }

    /** The channel, shared with {@link GrpcWorkspaces} (one connection to tools-service). */
    ManagedChannel channel() {
        return channel;
    }

    String target() {
        return target;
    }

    /**
     * The tools, cached for a minute. Past that minute the cached list is still answered while one background call
     * refreshes it: a run's start never waits for tools-service's answer once a list is known (under a flood every
     * start that found the cache expired waited for the same call, issue 19). Only the first list is awaited.
     */
    @Override
    public List<ToolSpec> list() {
        List<ToolSpec> known = cached;
        if (known == null) {
            return fetchList();
        }
        if (!cachedAt.plus(listFor).isAfter(Instant.now()) && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("tools-list-refresh").start(() -> {
                try {
                    fetchList();
                } catch (IllegalStateException e) {
                    LOG.debugf("tool list not refreshed (the last one stays): %s", e.getMessage());
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return known;
    }

    private List<ToolSpec> fetchList() {
        try {
            List<ToolSpec> specs = ToolServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .list(ListToolsRequest.getDefaultInstance()).getToolsList().stream()
                    .map(t -> new ToolSpec(t.getName(), t.getDescription(), t.getParametersJsonSchema(),
                            t.getReadOnly(), t.getStreams(), t.getNetwork())).toList();
            List<ToolSpec> before = cached;
            // the same list keeps its instance: the run's catalog is rebuilt only when tools-service's list changed
            List<ToolSpec> kept = specs.equals(before) ? before : specs;
            cached = kept;
            cachedAt = Instant.now();
            return kept;
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException("tools-service at " + target + " cannot list tools: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription())
                    + " (codetether.agent.tools.host/port)" + (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED
                            ? "; tools-service serves gRPC on its own port (9084 by default), not on its HTTP port"
                            : ""));
        }
    }

    @Override
    public Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout)
            throws InterruptedException {
        ExecuteRequest req = request(sessionId, callId, toolName, argumentsJson, timeout);
        return withRetry(req, () -> executeOnce(req, timeout));
    }

    private Outcome executeOnce(ExecuteRequest req, Duration timeout) throws SameCallRetry.Cut, InterruptedException {
        try {
            return outcome(ToolServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS).execute(req));
        } catch (StatusRuntimeException e) {
            return answerOrCut(e);
        }
    }

    private static ExecuteRequest request(String sessionId, String callId, String toolName, String argumentsJson,
            Duration timeout) {
        return ExecuteRequest.newBuilder().setSessionId(sessionId).setCallId(callId).setToolName(toolName)
                .setArgumentsJson(argumentsJson).setTimeoutMs(timeout.toMillis()).build();
    }

    private static Outcome outcome(ExecuteResponse r) {
        return new Outcome(r.getOk(), r.getOutput(), r.getError(), r.getReplayed(), r.getMetadataJson(),
                r.getInterrupted());
    }

    /** Repeats a cut-off call under the same call id ({@link SameCallRetry}); given up: {@link Outcome#interrupted}. */
    private Outcome withRetry(ExecuteRequest req, SameCallRetry.Attempt<Outcome> attempt) throws InterruptedException {
        return retry.run(req.getCallId(), req.getToolName(), attempt,
                o -> SameCallRetry.answered(o.interrupted(), o.replayed()), Outcome::interrupted);
    }

    /** A cut ({@link SameCallRetry#throwIfCut}) may be repeated; any other status is the call's answer. */
    private Outcome answerOrCut(StatusRuntimeException e) throws SameCallRetry.Cut, InterruptedException {
        SameCallRetry.throwIfCut(e);
        return refusedOrFailed(e);
    }

    /** Preview: a tools-service without it (UNIMPLEMENTED) has no previews; an edit that would fail says why. */
    @Override
    public Preview preview(String sessionId, String toolName, String argumentsJson) throws InterruptedException {
        ExecuteRequest req = ExecuteRequest.newBuilder().setSessionId(sessionId).setCallId("preview")
                .setToolName(toolName).setArgumentsJson(argumentsJson).build();
        try {
            PreviewResponse r = ToolServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .preview(req);
            return new Preview(r.getHasPreview(), r.getDiff(), r.getError());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Preview.NONE;
            }
            Outcome o = refusedOrFailed(e);
            return new Preview(true, "", o.error());
        }
    }

    private Outcome refusedOrFailed(StatusRuntimeException e) throws InterruptedException {
        if (e.getStatus().getCode() == Status.Code.CANCELLED && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("tool call canceled");
        }
        if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT || e.getStatus().getCode() == Status.Code.NOT_FOUND
                || e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
            // the tool refused the call: the model gets the reason and can correct itself
            return new Outcome(false, "", e.getStatus().getDescription(), false, "");
        }
        throw new IllegalStateException("tools-service at " + target + " failed: " + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
    }

    /**
     * ExecuteStream: chunks of output reach {@code output} as tools-service sends them, the last message is the
     * result. A tools-service without ExecuteStream (UNIMPLEMENTED) is called with Execute instead. A stream that ends
     * without its result was cut: repeated as a call that got UNAVAILABLE.
     */
    @Override
    public Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout,
            Consumer<String> output) throws InterruptedException {
        if (!streaming) {
            return execute(sessionId, callId, toolName, argumentsJson, timeout);
        }
        ExecuteRequest req = request(sessionId, callId, toolName, argumentsJson, timeout);
        return withRetry(req, () -> streamOnce(req, timeout, output));
    }

    private Outcome streamOnce(ExecuteRequest req, Duration timeout, Consumer<String> output)
            throws SameCallRetry.Cut, InterruptedException {
        if (!streaming) {
            return executeOnce(req, timeout);
        }
        try {
            Iterator<ExecuteChunk> chunks = ToolServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS).executeStream(req);
            while (chunks.hasNext()) {
                ExecuteChunk c = chunks.next();
                switch (c.getChunkCase()) {
                    case STDOUT -> output.accept(c.getStdout());
                    case STDERR -> output.accept(c.getStderr());
                    case RESULT -> {
                        return outcome(c.getResult());
                    }
                    case CHUNK_NOT_SET -> {
                        // an empty message carries nothing
                    }
                }
            }
            throw new SameCallRetry.Cut("ExecuteStream of " + req.getToolName() + " ended without a result");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                streaming = false;
                return executeOnce(req, timeout);
            }
            return answerOrCut(e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
