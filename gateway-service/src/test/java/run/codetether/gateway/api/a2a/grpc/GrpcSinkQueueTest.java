package run.codetether.gateway.api.a2a.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.StreamResponse;
import com.google.lf.a2a.v1.SubscribeToTaskRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.api.a2a.SubscriberQueue;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * Issue 18: gRPC server streams (SendStreamingMessage, SubscribeToTask) are encoded off the task event reader, like
 * SSE ({@code SseSinkQueueTest}): the reader (here the test's thread) only queues; a subscriber whose encoding
 * blocks delays neither the reader nor another subscriber, and one that falls {@link SubscriberQueue#MAX_ITEMS}
 * behind is ended with UNAVAILABLE (slow_consumer). Real gRPC server and client (Netty) on loopback.
 */
class GrpcSinkQueueTest {
    private Server server;
    private ManagedChannel channel;
    private final Map<String, CompletableFuture<GrpcSink>> sinks = new ConcurrentHashMap<>();
    private final CountDownLatch slowEncoder = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new A2AServiceGrpc.A2AServiceImplBase() {
                    @Override
                    public void subscribeToTask(SubscribeToTaskRequest request, StreamObserver<StreamResponse> out) {
                        String name = request.getId();
                        Function<StreamEvent, StreamResponse> encoder = name.startsWith("slow") ? item -> {
                            try {
                                slowEncoder.await(); // an encoding that takes long (a huge item, a starved core)
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return GrpcSink.encode(item);
                        } : GrpcSink::encode;
                        sinks.get(name).complete(new GrpcSink((ServerCallStreamObserver<StreamResponse>) out,
                                1 << 20, encoder));
                    }
                }).build().start();
        channel = NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort())
                .usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        slowEncoder.countDown();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private static StreamEvent item(int n) {
        return new StreamEvent.StatusUpdate("t1", "c1", new TaskStatus(TaskState.WORKING, null, Instant.now()),
                Map.of("n", n), false);
    }

    /** What a client stream received, completed when the server ends it (normally or with an error). */
    private record Received(List<StreamResponse> items, CompletableFuture<Status> end) {}

    private Received open(String name) {
        sinks.put(name, new CompletableFuture<>());
        Received r = new Received(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        A2AServiceGrpc.newStub(channel).subscribeToTask(SubscribeToTaskRequest.newBuilder().setId(name).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(StreamResponse value) {
                        r.items().add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        r.end().complete(assertInstanceOf(StatusRuntimeException.class, t).getStatus());
                    }

                    @Override
                    public void onCompleted() {
                        r.end().complete(Status.OK);
                    }
                });
        return r;
    }

    private static int n(StreamResponse r) {
        return (int) r.getStatusUpdate().getMetadata().getFieldsMap().get("n").getNumberValue();
    }

    @Test
    void aSubscriberWhoseEncodingBlocksDelaysNeitherTheReaderNorAnotherSubscriber() throws Exception {
        Received slowOut = open("slow");
        Received fastOut = open("fast");
        GrpcSink slow = sinks.get("slow").get(10, TimeUnit.SECONDS);
        GrpcSink fast = sinks.get("fast").get(10, TimeUnit.SECONDS);
        int items = 200;
        // the reader's fold, on a thread of its own (a reader stuck in the slow encoding fails the test, not hangs it)
        CompletableFuture.runAsync(() -> {
            for (int i = 0; i < items; i++) {
                slow.send(item(i));
                fast.send(item(i));
            }
            slow.end();
            fast.end();
        }).get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.OK, fastOut.end().get(10, TimeUnit.SECONDS).getCode());
        assertEquals(items, fastOut.items().size(), "the fast subscriber got every item while the other one is stuck");
        assertEquals(List.of(0, 1, items - 1), List.of(n(fastOut.items().get(0)), n(fastOut.items().get(1)),
                n(fastOut.items().get(items - 1))), "in order");
        assertFalse(slowOut.end().isDone(), "the slow one is still waiting for its first encoding");
        assertTrue(slowOut.items().isEmpty());
        slowEncoder.countDown();
        assertEquals(Status.Code.OK, slowOut.end().get(10, TimeUnit.SECONDS).getCode());
        assertEquals(items, slowOut.items().size(), "the slow subscriber still gets everything after it");
        assertEquals(items - 1, n(slowOut.items().get(items - 1)));
    }

    @Test
    void aSubscriberTooFarBehindIsEndedAsASlowConsumerWithoutHoldingTheReader() throws Exception {
        Received out = open("slow-bounded");
        GrpcSink slow = sinks.get("slow-bounded").get(10, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> {
            for (int i = 0; i < SubscriberQueue.MAX_ITEMS + 5; i++) {
                slow.send(item(i));
            }
        }).get(5, TimeUnit.SECONDS);
        Status end = out.end().get(10, TimeUnit.SECONDS);
        assertEquals(Status.Code.UNAVAILABLE, end.getCode(), "retryable: " + end);
        assertTrue(end.getDescription().contains("fell behind")
                && end.getDescription().contains(SubscriberQueue.MAX_ITEMS + " items"), end.getDescription());
        assertEquals(0, out.items().size(), "nothing queued behind the blocked encoding went out after the error");
    }
}
