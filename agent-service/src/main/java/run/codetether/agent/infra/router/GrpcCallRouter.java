package run.codetether.agent.infra.router;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.contracts.router.v1.RouteRequest;
import run.codetether.contracts.router.v1.RouteResponse;
import run.codetether.contracts.router.v1.ToolDefinition;
import run.codetether.contracts.router.v1.ToolRouterGrpc;

/** router-service over gRPC. Any failure (down, timeout, nothing routed) is an empty list: the text stands. */
public final class GrpcCallRouter implements CallRouter, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GrpcCallRouter.class);
    private final ManagedChannel channel;
    private final long timeoutMs;
    private final String target;
    private final AtomicBoolean warnedUnimplemented = new AtomicBoolean();

    public GrpcCallRouter(String host, int port, long timeoutMs) {
        this.target = host + ":" + port;
        this.channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        this.timeoutMs = timeoutMs;
    }

    @Override
    public List<ToolCall> route(String text, List<ToolSpec> tools) {
        try {
            RouteRequest.Builder b = RouteRequest.newBuilder().setText(text);
            tools.forEach(t -> b.addTools(ToolDefinition.newBuilder().setName(t.name())
                    .setDescription(t.description() == null ? "" : t.description())
                    .setParametersJsonSchema(t.parametersJsonSchema() == null ? "{}" : t.parametersJsonSchema())));
            RouteResponse r = ToolRouterGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                    .route(b.build());
            if (!r.getRouted()) {
                return List.of();
            }
            return r.getCallsList().stream().map(c -> new ToolCall(null, c.getName(), c.getArgumentsJson())).toList();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED && warnedUnimplemented.compareAndSet(false, true)) {
                // not down but misaddressed: every call would quietly fall back to the text, so say it once
                LOG.warnf("router-service at %s has no ToolRouter (%s): it serves gRPC on its own port (9082 by "
                        + "default), not on its HTTP port; check codetether.agent.router.host/port", target,
                        e.getStatus().getDescription());
            }
            LOG.debugf("router unavailable, keeping the text: %s", e.getMessage());
            return List.of();
        } catch (RuntimeException e) {
            LOG.debugf("router unavailable, keeping the text: %s", e.getMessage());
            return List.of();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
