package run.codetether.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;
import static run.codetether.tools.api.GrpcCalls.json;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.handler.codec.http2.Http2Error;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * Issue 19, the 27 s stall: every agent run shares one HTTP/2 connection with tools-service, so an answer written
 * on a stream the client had already reset must cost that one call, never the connection. On the Vert.x gRPC server
 * ({@code quarkus.grpc.server.use-separate-server=false}) a reset with NO_ERROR did not cancel the call, the late
 * answer was a connection error (GOAWAY PROTOCOL_ERROR, "Request stream N is not correct for server connection") and
 * every other call on the connection failed with it (quarkusio/quarkus#56268). These tests hold several calls in
 * flight on one connection, reset some, and require the others to complete.
 */
@QuarkusTest
class SharedConnectionGrpcTest {

    private static final String EXECUTE = ToolServiceGrpc.getExecuteMethod().getFullMethodName();

    /** Only for the address the test profile gave the gRPC server (a random port). */
    @GrpcClient("tools")
    Channel quarkusChannel;

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    private String host() {
        String a = quarkusChannel.authority();
        return a.substring(0, a.lastIndexOf(':'));
    }

    private int port() {
        String a = quarkusChannel.authority();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    private static ExecuteRequest bash(String command) {
        // one session per call: calls of one session may wait for each other, these must run side by side
        return ExecuteRequest.newBuilder().setSessionId("t-" + UUID.randomUUID()).setCallId(UUID.randomUUID().toString())
                .setToolName("bash").setArgumentsJson(json("command", command, "timeout", 60)).build();
    }

    @Test
    void aCallResetWithNoErrorCostsThatCallOnlyAndTheConnectionStaysOpen() throws Exception {
        try (var connection = new RawGrpcConnection(host(), port())) {
            var survivor = connection.start(EXECUTE, bash("sleep 4; echo survived").toByteArray());
            var reset = connection.start(EXECUTE, bash("sleep 1; echo too-late").toByteArray());
            Thread.sleep(300);
            // as an Envoy proxy resets a stream it gave up on; the server still runs the call and answers at ~1 s
            reset.reset(Http2Error.NO_ERROR);

            var answer = survivor.answer.get(60, TimeUnit.SECONDS);
            assertEquals("0", answer.grpcStatus(), answer.grpcMessage());
            ExecuteResponse r = ExecuteResponse.parseFrom(answer.message());
            assertTrue(r.getOk(), r.toString());
            assertEquals("survived\n", r.getOutput());
            assertEquals(-1, connection.goAwayError(), "the server ended the shared connection with GOAWAY "
                    + Http2Error.valueOf(connection.goAwayError()));

            var after = connection.start(EXECUTE, bash("echo still-open").toByteArray()).answer.get(60, TimeUnit.SECONDS);
            assertEquals("0", after.grpcStatus(), after.grpcMessage());
            assertEquals("still-open\n", ExecuteResponse.parseFrom(after.message()).getOutput());
            assertTrue(connection.open());
        }
    }

    /**
     * The agent's own client (grpc-java, one channel) cancels calls that pass their deadline. Quick calls whose
     * deadlines are spread around their answer time put the cancel before, during and after the answer's write,
     * many times, while a long call waits on the same connection.
     */
    @Test
    void callsCancelledWhileTheirAnswerIsWrittenLeaveTheOtherCallsOnTheChannelAlone() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host(), port()).usePlaintext().build();
        try {
            var async = ToolServiceGrpc.newFutureStub(channel);
            var blocking = ToolServiceGrpc.newBlockingStub(channel);
            ListenableFuture<ExecuteResponse> survivor = async.execute(bash("sleep 6; echo survived"));

            String[] sessions = new String[8];
            for (int j = 0; j < sessions.length; j++) {
                sessions[j] = "t-" + UUID.randomUUID();
                blocking.execute(quick(sessions[j], "write_file", json("path", "f.txt", "content", "x")));
            }
            long[] took = new long[15];
            for (int i = 0; i < took.length; i++) {
                long t0 = System.nanoTime();
                blocking.execute(quick(sessions[0], "read_file", json("path", "f.txt")));
                took[i] = System.nanoTime() - t0;
            }
            Arrays.sort(took);
            long typical = took[took.length / 2];

            Map<Status.Code, Integer> outcomes = new TreeMap<>();
            Random random = new Random(19);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until && !survivor.isDone()) {
                List<ListenableFuture<ExecuteResponse>> batch = new ArrayList<>();
                for (String session : sessions) {
                    long deadline = (long) (typical * (0.3 + 1.4 * random.nextDouble()));
                    batch.add(async.withDeadlineAfter(deadline, TimeUnit.NANOSECONDS)
                            .execute(quick(session, "read_file", json("path", "f.txt"))));
                }
                for (var f : batch) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                        outcomes.merge(Status.Code.OK, 1, Integer::sum);
                    } catch (ExecutionException e) {
                        outcomes.merge(Status.fromThrowable(e.getCause()).getCode(), 1, Integer::sum);
                    }
                }
            }

            ExecuteResponse r = survivor.get(60, TimeUnit.SECONDS);
            assertEquals("survived\n", r.getOutput(), r.toString());
            assertTrue(outcomes.getOrDefault(Status.Code.OK, 0) > 0
                    && outcomes.getOrDefault(Status.Code.DEADLINE_EXCEEDED, 0) > 0,
                    "deadlines on both sides of the answer: " + outcomes);
            assertEquals(Map.of(), without(outcomes, Status.Code.OK, Status.Code.DEADLINE_EXCEEDED,
                    Status.Code.CANCELLED), "only the cancelled calls may fail: " + outcomes);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The separate gRPC server takes the service's own limit, not grpc-java's default of 4 MiB per message. */
    @Test
    void aMessageAboveGrpcsDefault4MiBReachesTheServiceWhichAnswersWithItsOwnLimit() {
        byte[] big = new byte[5 * 1024 * 1024];
        big[0] = 0x1f;
        big[1] = (byte) 0x8b;
        var tooBig = assertThrows(StatusRuntimeException.class, () -> stub.stageArchive(StageArchiveRequest.newBuilder()
                .setSessionId("t-" + UUID.randomUUID()).setName("big.tar.gz").setData(ByteString.copyFrom(big))
                .build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
        assertThat(tooBig.getStatus().getDescription()).contains("codetether.tools.archive.max-bytes");
    }

    private static ExecuteRequest quick(String session, String tool, String args) {
        return ExecuteRequest.newBuilder().setSessionId(session).setCallId(UUID.randomUUID().toString())
                .setToolName(tool).setArgumentsJson(args).build();
    }

    private static Map<Status.Code, Integer> without(Map<Status.Code, Integer> all, Status.Code... expected) {
        Map<Status.Code, Integer> rest = new TreeMap<>(all);
        for (Status.Code c : expected) {
            rest.remove(c);
        }
        return rest;
    }
}
