package run.codetether.agent.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/** The agent's side of ExecuteStream, against real gRPC servers on loopback. */
class GrpcToolExecutorStreamTest {

    private static Server serve(ToolServiceGrpc.ToolServiceImplBase service) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(service).build().start();
    }

    @Test
    void outputChunksArriveInOrderBeforeTheResult() throws Exception {
        Server server = serve(new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                out.onNext(ExecuteChunk.newBuilder().setStdout("building ").build());
                out.onNext(ExecuteChunk.newBuilder().setStderr("warning: x\n").build());
                out.onNext(ExecuteChunk.newBuilder().setStdout("done\n").build());
                out.onNext(ExecuteChunk.newBuilder().setResult(ExecuteResponse.newBuilder().setCallId(request.getCallId())
                        .setOk(true).setOutput("building done\nwarning: x\n[exit code 0]").setMetadataJson("{}")).build());
                out.onCompleted();
            }
        });
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", server.getPort())) {
            List<String> chunks = new CopyOnWriteArrayList<>();
            ToolExecutor.Outcome r = tools.execute("s1", "c1", "bash", "{\"command\":\"make\"}", Duration.ofSeconds(10),
                    chunks::add);
            assertEquals(List.of("building ", "warning: x\n", "done\n"), chunks);
            assertTrue(r.ok());
            assertEquals("building done\nwarning: x\n[exit code 0]", r.output());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aRefusedCallIsAFailedOutcomeTheModelCanRead() throws Exception {
        Server server = serve(new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("command is required").asRuntimeException());
            }
        });
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", server.getPort())) {
            ToolExecutor.Outcome r = tools.execute("s1", "c1", "bash", "{}", Duration.ofSeconds(10), chunk -> {});
            assertFalse(r.ok());
            assertEquals("command is required", r.error());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aToolsServiceWithoutExecuteStreamIsCalledWithExecute() throws Exception {
        AtomicInteger executes = new AtomicInteger();
        Server server = serve(new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> out) {
                executes.incrementAndGet();
                out.onNext(ExecuteResponse.newBuilder().setCallId(request.getCallId()).setOk(true).setOutput("plain").build());
                out.onCompleted();
            }
        });
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", server.getPort())) {
            for (int i = 0; i < 2; i++) {
                ToolExecutor.Outcome r = tools.execute("s1", "c" + i, "bash", "{}", Duration.ofSeconds(10), chunk -> {});
                assertEquals("plain", r.output());
            }
            assertEquals(2, executes.get());
        } finally {
            server.shutdownNow();
        }
    }
}
