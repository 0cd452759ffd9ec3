package run.codetether.agent.infra.router;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    public GrpcCallRouter(String host, int port, long timeoutMs) {
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
