package run.codetether.gateway.infra.tools;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.StageArchiveResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.WorkspaceUploads;

/**
 * tools-service's StageArchive over gRPC (non-blocking: the send path never parks an event-loop thread). Every
 * status becomes the client's error: RESOURCE_EXHAUSTED is PAYLOAD_TOO_LARGE, INVALID_ARGUMENT is INVALID_PARAMS
 * (tools-service's descriptions are user-safe by its contract), an unreachable or slow tools-service is a retryable
 * UNAVAILABLE naming the address and the key that sets it. The channel opens on first use.
 */
public final class GrpcArchiveStager implements WorkspaceUploads.Stager, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GrpcArchiveStager.class);
    private final String host;
    private final int port;
    private final Duration timeout;
    private ManagedChannel channel;

    public GrpcArchiveStager(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    private synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        }
        return channel;
    }

    @Override
    public CompletableFuture<WorkspaceUploads.Staged> stage(String sessionId, String mediaType, String name,
            byte[] bytes) {
        CompletableFuture<WorkspaceUploads.Staged> out = new CompletableFuture<>();
        StageArchiveRequest request = StageArchiveRequest.newBuilder().setSessionId(sessionId)
                .setMediaType(mediaType).setName(name).setData(ByteString.copyFrom(bytes)).build();
        long started = System.nanoTime();
        var call = ToolServiceGrpc.newFutureStub(channel())
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).stageArchive(request);
        Futures.addCallback(call, new FutureCallback<StageArchiveResponse>() {
            @Override
            public void onSuccess(StageArchiveResponse r) {
                LOG.infof("staged a %s workspace archive of %d bytes for context %s in %d ms", r.getMediaType(),
                        r.getSizeBytes(), sessionId, (System.nanoTime() - started) / 1_000_000);
                out.complete(new WorkspaceUploads.Staged(r.getStagedId(), r.getSizeBytes(), r.getMediaType(), name));
            }

            @Override
            public void onFailure(Throwable t) {
                out.completeExceptionally(refusal(Status.fromThrowable(t)));
            }
        }, MoreExecutors.directExecutor());
        return out;
    }

    private A2AException refusal(Status s) {
        String what = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        return switch (s.getCode()) {
            case RESOURCE_EXHAUSTED -> new A2AException(A2AError.PAYLOAD_TOO_LARGE, "the workspace archive is too "
                    + "large for tools-service: " + what);
            case INVALID_ARGUMENT -> A2AException.invalidParams("the workspace archive was refused: " + what);
            case UNAVAILABLE, DEADLINE_EXCEEDED, UNIMPLEMENTED -> {
                LOG.warnf("staging a workspace archive at %s:%d failed: %s", host, port, s);
                yield A2AException.retryable(A2AError.UNAVAILABLE, "tools-service at " + host + ":" + port + " could not "
                        + "stage the workspace archive (" + s.getCode() + (s.getCode() == Status.Code.DEADLINE_EXCEEDED
                                ? " after " + timeout.toSeconds() + " s, codetether.gateway.workspace.stage-timeout"
                                : "; codetether.gateway.tools.host/port") + "); retry later", 5);
            }
            default -> {
                LOG.warnf("staging a workspace archive at %s:%d failed: %s", host, port, s);
                yield new A2AException(A2AError.INTERNAL, "tools-service could not stage the workspace archive: "
                        + s.getCode());
            }
        };
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
