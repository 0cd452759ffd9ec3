package run.codetether.gateway.api.a2a.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.StreamResponse;
import com.google.lf.a2a.v1.Task;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.grpc.DeadlineStorm;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * Issue 19, the [gRPC] conformance race: one client channel (one HTTP/2 connection) carries many A2A calls, so an
 * answer written on a stream the client had already reset (its deadline passed) must cost that one call, never the
 * connection. On the Vert.x gRPC server that shares the HTTP port
 * ({@code quarkus.grpc.server.use-separate-server=false}) such a late answer was a connection error, GOAWAY
 * PROTOCOL_ERROR "Request stream N is not correct for server connection", and every other call on the connection
 * failed with it (quarkusio/quarkus#56268); this test failed that way there. The gateway now serves gRPC on a server
 * of its own (grpc-java), which cancels such a call alone.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class SharedConnectionGrpcTest {

    /**
     * Quick GetTask calls whose deadlines are spread around their answer time put the client's cancel before,
     * during and after the answer's write, many times, while a streaming send of a task that never ends waits on
     * the same connection and must stay open.
     */
    @Test
    void callsCancelledWhileTheirAnswerIsWrittenLeaveTheOtherCallsOnTheChannelAlone() throws Exception {
        ScriptedWorker.shared();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", A2AGrpc.port()).usePlaintext().build();
        try {
            Metadata auth = A2AGrpc.headers("authorization", "Bearer " + A2AHttp.ALICE);
            var async = A2AServiceGrpc.newFutureStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
            var blocking = A2AServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));

            // the long call: a streaming send of a task the scripted worker never finishes
            AtomicReference<Throwable> streamError = new AtomicReference<>();
            CountDownLatch streamEnded = new CountDownLatch(1);
            CountDownLatch working = new CountDownLatch(2);
            A2AServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                    .sendStreamingMessage(GrpcBindingTest.send("hang", false), new StreamObserver<StreamResponse>() {
                        @Override
                        public void onNext(StreamResponse value) {
                            working.countDown();
                        }

                        @Override
                        public void onError(Throwable t) {
                            streamError.set(t);
                            streamEnded.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            streamEnded.countDown();
                        }
                    });
            assertTrue(working.await(20, TimeUnit.SECONDS), "the long stream got its task and the working update");

            Task task = blocking.sendMessage(GrpcBindingTest.send("echo shared " + UUID.randomUUID(), false))
                    .getTask();
            GetTaskRequest get = GetTaskRequest.newBuilder().setId(task.getId()).build();
            long typical = DeadlineStorm.medianNanos(15, () -> blocking.getTask(get));

            Map<String, Integer> outcomes = DeadlineStorm.run(6, 8, typical,
                    (slot, deadline) -> async.withDeadlineAfter(deadline, TimeUnit.NANOSECONDS).getTask(get),
                    t -> Status.fromThrowable(t).getCode().name(), () -> streamEnded.getCount() == 0);

            assertNull(streamError.get(), () -> "the long stream was cut off: " + streamError.get());
            assertEquals(1, streamEnded.getCount(), "the long stream is still open");
            assertTrue(outcomes.getOrDefault("OK", 0) > 0 && outcomes.getOrDefault("DEADLINE_EXCEEDED", 0) > 0,
                    "deadlines on both sides of the answer: " + outcomes);
            Map<String, Integer> others = new TreeMap<>(outcomes);
            // RESOURCE_EXHAUSTED is the per-client rate limit answering the storm's excess (1,000/s in tests): an
            // answer on a live connection; the shared server's fault shows as INTERNAL/UNAVAILABLE (GOAWAY)
            others.keySet().removeAll(List.of("OK", "DEADLINE_EXCEEDED", "CANCELLED", "RESOURCE_EXHAUSTED"));
            assertEquals(Map.of(), others, "only the cancelled calls may fail: " + outcomes);
            Thread.sleep(200); // the rate limit's bucket refills (1,000/s) so the next call is served, not refused
            assertEquals(task.getId(), blocking.getTask(get).getId(), "the channel still serves calls");
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The separate server keeps the gateway's message limits (GrpcMessageLimits), not grpc-java's default of 4 MiB
     * nor Vert.x's: a send over max-body-bytes plus an archive's room is refused with RESOURCE_EXHAUSTED, and the
     * same channel goes on serving calls (a refusal, not a transport reset).
     */
    @Test
    void anOversizedSendIsRefusedAndTheChannelGoesOn() {
        ScriptedWorker.shared();
        var alice = A2AGrpc.bearer(A2AHttp.ALICE);
        StatusRuntimeException tooBig = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> alice.sendMessage(GrpcBindingTest.send("x".repeat(1_100_000), false)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode(), tooBig.getStatus().toString());
        StatusRuntimeException overFiveMiB = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> alice.sendMessage(GrpcBindingTest.send("x".repeat(5 * 1024 * 1024), false)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, overFiveMiB.getStatus().getCode(),
                overFiveMiB.getStatus().toString());
        Task ok = alice.sendMessage(GrpcBindingTest.send("echo after the refusal", false)).getTask();
        assertFalse(ok.getId().isEmpty(), "the channel serves the next call");
    }

    /** A client still pointed at the HTTP port is told where gRPC is, not left with an HTTP 404. */
    @Test
    void aGrpcCallOnTheHttpPortIsUnimplementedNamingTheGrpcPort() throws Exception {
        int httpPort = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", httpPort).usePlaintext().build();
        try {
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> A2AGrpc.blocking(channel, "authorization", "Bearer " + A2AHttp.ALICE)
                            .getTask(GetTaskRequest.newBuilder().setId("any").build()));
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode(), e.getStatus().toString());
            assertEquals("the gateway serves gRPC on its own port (" + A2AGrpc.port()
                    + " here, quarkus.grpc.server.port), not on the HTTP port", e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
