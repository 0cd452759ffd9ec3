package run.codetether.agent.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.infra.tools.ToolRetry;
import run.codetether.contracts.tools.v1.ListToolsRequest;
import run.codetether.contracts.tools.v1.ListToolsResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * The tool list past its cache time: the last list is answered at once while one background call refreshes it (a
 * run's start does not wait for tools-service, issue 19), and the refreshed list is answered once it came back.
 */
class GrpcToolListTest {

    private static run.codetether.contracts.tools.v1.ToolSpec tool(String name) {
        return run.codetether.contracts.tools.v1.ToolSpec.newBuilder().setName(name).setDescription(name)
                .setParametersJsonSchema("{\"type\":\"object\"}").build();
    }

    @Test
    void anExpiredListIsAnsweredAtOnceAndRefreshedInTheBackground() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch refreshAsked = new CountDownLatch(1);
        CountDownLatch answerRefresh = new CountDownLatch(1);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new ToolServiceGrpc.ToolServiceImplBase() {
                    @Override
                    public void list(ListToolsRequest request, StreamObserver<ListToolsResponse> out) {
                        if (calls.incrementAndGet() == 1) {
                            out.onNext(ListToolsResponse.newBuilder().addTools(tool("bash")).build());
                        } else {
                            refreshAsked.countDown();
                            try {
                                answerRefresh.await(30, TimeUnit.SECONDS); // tools-service busy under a flood
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            out.onNext(ListToolsResponse.newBuilder().addTools(tool("bash")).addTools(tool("read"))
                                    .build());
                        }
                        out.onCompleted();
                    }
                }).build().start();
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", server.getPort(), ToolRetry.DEFAULTS,
                Duration.ZERO)) {
            assertEquals(List.of("bash"), names(tools.list()));
            // expired at once (cache time zero): answered from the last list while tools-service holds the refresh
            CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(() -> names(tools.list()));
            assertEquals(List.of("bash"), second.get(10, TimeUnit.SECONDS));
            assertTrue(refreshAsked.await(10, TimeUnit.SECONDS), "a refresh was asked for");
            assertEquals(List.of("bash"), names(tools.list()), "one refresh at a time; the last list meanwhile");
            answerRefresh.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!names(tools.list()).equals(List.of("bash", "read")) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(List.of("bash", "read"), names(tools.list()));
            assertTrue(calls.get() >= 2, "calls: " + calls.get());
        } finally {
            answerRefresh.countDown();
            server.shutdownNow();
        }
    }

    /**
     * An address that answers HTTP/2 but serves no ToolService (tools-service's HTTP port, where gRPC was served
     * before it got a server of its own): the error names the setting and the gRPC port.
     */
    @Test
    void aServerWithoutToolServiceIsReportedWithTheGrpcPortToUse() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .build().start();
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", server.getPort())) {
            var e = assertThrows(IllegalStateException.class, tools::list);
            assertTrue(e.getMessage().contains("UNIMPLEMENTED") && e.getMessage().contains("codetether.agent.tools")
                    && e.getMessage().contains("its own port (9084 by default)"), e.getMessage());
        } finally {
            server.shutdownNow();
        }
    }

    private static List<String> names(List<ToolSpec> specs) {
        return specs.stream().map(ToolSpec::name).toList();
    }
}
