package run.codetether.tools.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.McpHttp;
import run.codetether.contracts.tools.v1.McpServer;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.fixtures.grpc.DeadlineStorm;
import run.codetether.fixtures.mcp.McpHttpTestServer;

/**
 * Issue 19, the 27 s stall: every agent run shares one HTTP/2 connection with tools-service, so an answer written
 * on a stream the client had already reset must cost that one call, never the connection. On the Vert.x gRPC server
 * ({@code quarkus.grpc.server.use-separate-server=false}) a late answer was a connection error: GOAWAY
 * PROTOCOL_ERROR "Request stream N is not correct for server connection", and every other call on the connection
 * failed with it (quarkusio/quarkus#56268). This test failed that way on that server; tools-service now runs gRPC on
 * a server of its own (grpc-java), which cancels such a call alone.
 */
@QuarkusTest
class SharedConnectionGrpcTest {

    /** Only for the address the test profile gave the gRPC server. */
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

    /**
     * The agent's own client (grpc-java, one channel) cancels calls that pass their deadline. Quick calls whose
     * deadlines are spread around their answer time put the cancel before, during and after the answer's write,
     * many times, while a long call (an MCP tool that never answers) waits on the same connection.
     */
    @Test
    void callsCancelledWhileTheirAnswerIsWrittenLeaveTheOtherCallsOnTheChannelAlone() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host(), port()).usePlaintext().build();
        try (McpHttpTestServer mcp = McpHttpTestServer.start()) {
            var async = ToolServiceGrpc.newFutureStub(channel);
            var blocking = ToolServiceGrpc.newBlockingStub(channel);
            ListenableFuture<CallMcpToolResponse> longCall = async.callMcpTool(CallMcpToolRequest.newBuilder()
                    .setSessionId("t-" + UUID.randomUUID()).setCallId(UUID.randomUUID().toString())
                    .setServer(McpServer.newBuilder().setName("slow").setHttp(McpHttp.newBuilder().setUrl(mcp.url())))
                    .setTool("hang").setArgumentsJson("{}").build());

            String[] sessions = new String[8];
            for (int j = 0; j < sessions.length; j++) {
                sessions[j] = "t-" + UUID.randomUUID();
                blocking.execute(quick(sessions[j], "write_file", json("path", "f.txt", "content", "x")));
            }
            long typical = DeadlineStorm.medianNanos(15, () -> blocking.execute(quick(sessions[0], "read_file", json("path", "f.txt"))));

            Map<String, Integer> outcomes = DeadlineStorm.run(6, sessions.length, typical,
                    (slot, deadline) -> async.withDeadlineAfter(deadline, TimeUnit.NANOSECONDS)
                            .execute(quick(sessions[slot], "read_file", json("path", "f.txt"))),
                    t -> Status.fromThrowable(t).getCode().name(), longCall::isDone);

            if (longCall.isDone()) {
                longCall.get(); // throws what cut it off (on the Vert.x server: INTERNAL ... GOAWAY PROTOCOL_ERROR)
            }
            assertFalse(longCall.isDone(), "the long call is still in flight");
            assertTrue(outcomes.getOrDefault("OK", 0) > 0 && outcomes.getOrDefault("DEADLINE_EXCEEDED", 0) > 0,
                    "deadlines on both sides of the answer: " + outcomes);
            assertEquals(Map.of(), without(outcomes, "OK", "DEADLINE_EXCEEDED", "CANCELLED"),
                    "only the cancelled calls may fail: " + outcomes);
            longCall.cancel(true);
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

    /** What operators watch stays on the HTTP port: the gRPC server's call metrics and its readiness check. */
    @Test
    void theGrpcServersMetricsAndReadinessAreOnTheHttpPort() {
        String session = "t-" + UUID.randomUUID();
        assertTrue(stub.execute(quick(session, "write_file", json("path", "m.txt", "content", "metered"))).getOk());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("grpc_server_processing_duration_seconds_bucket{"))
                .body(containsString("method=\"Execute\""));
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("gRPC Server"));
    }

    private static ExecuteRequest quick(String session, String tool, String args) {
        return ExecuteRequest.newBuilder().setSessionId(session).setCallId(UUID.randomUUID().toString())
                .setToolName(tool).setArgumentsJson(args).build();
    }

    private static Map<String, Integer> without(Map<String, Integer> all, String... expected) {
        Map<String, Integer> rest = new TreeMap<>(all);
        for (String c : expected) {
            rest.remove(c);
        }
        return rest;
    }
}
