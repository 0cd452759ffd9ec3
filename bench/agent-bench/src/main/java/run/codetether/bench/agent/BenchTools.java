package run.codetether.bench.agent;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ListToolsRequest;
import run.codetether.contracts.tools.v1.ListToolsResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.contracts.tools.v1.ToolSpec;

/** A zero-work ToolService on loopback (idempotent by session/call id like the real one) to time the gRPC hop. */
final class BenchTools implements AutoCloseable {
    private final Server server;
    private final Map<String, ExecuteResponse> results = new ConcurrentHashMap<>();

    BenchTools() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new ToolServiceGrpc.ToolServiceImplBase() {
                    @Override
                    public void list(ListToolsRequest r, StreamObserver<ListToolsResponse> out) {
                        out.onNext(ListToolsResponse.newBuilder().addTools(ToolSpec.newBuilder().setName(AgentBench.stepTool)
                                .setDescription("A bench tool").setParametersJsonSchema(
                                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}")
                                .setReadOnly(AgentBench.stepToolReadOnly())).build());
                        out.onCompleted();
                    }

                    @Override
                    public void execute(ExecuteRequest r, StreamObserver<ExecuteResponse> out) {
                        out.onNext(results.computeIfAbsent(r.getSessionId() + "/" + r.getCallId(),
                                k -> ExecuteResponse.newBuilder().setCallId(r.getCallId()).setOk(true).setOutput("a.txt\nb.txt").build()));
                        out.onCompleted();
                    }
                }).build().start();
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
