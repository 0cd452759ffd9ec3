package run.codetether.agent.support;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import run.codetether.contracts.router.v1.RouteRequest;
import run.codetether.contracts.router.v1.RouteResponse;
import run.codetether.contracts.router.v1.ToolCall;
import run.codetether.contracts.router.v1.ToolRouterGrpc;

/**
 * A ToolRouter on loopback that implements the router's model-free fast path: explicit
 * {@code <tool_call>{"name":..,"arguments":{..}}</tool_call>} blocks in the text become calls (only for offered
 * tools). {@code failing} makes it answer UNAVAILABLE, as a router that is down.
 */
public final class RouterGrpcServer implements AutoCloseable {
    private static final Pattern CALL = Pattern.compile("<tool_call>(.*?)</tool_call>", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Server server;
    private final AtomicInteger calls = new AtomicInteger();
    public volatile boolean failing;

    public RouterGrpcServer() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new ToolRouterGrpc.ToolRouterImplBase() {
                    @Override
                    public void route(RouteRequest req, StreamObserver<RouteResponse> out) {
                        calls.incrementAndGet();
                        if (failing) {
                            out.onError(Status.UNAVAILABLE.withDescription("router down").asRuntimeException());
                            return;
                        }
                        RouteResponse.Builder b = RouteResponse.newBuilder();
                        Matcher m = CALL.matcher(req.getText());
                        while (m.find()) {
                            try {
                                JsonNode n = JSON.readTree(m.group(1));
                                String name = n.path("name").asText();
                                if (req.getToolsList().stream().anyMatch(t -> t.getName().equals(name))) {
                                    b.addCalls(ToolCall.newBuilder().setName(name).setArgumentsJson(n.path("arguments").toString()));
                                }
                            } catch (IOException e) {
                                // not a call
                            }
                        }
                        out.onNext(b.setRouted(b.getCallsCount() > 0).setSource(b.getCallsCount() > 0 ? "fast_path" : "none")
                                .setFallbackReason(b.getCallsCount() > 0 ? "" : "no call found").build());
                        out.onCompleted();
                    }
                }).build().start();
    }

    public int port() {
        return server.getPort();
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
