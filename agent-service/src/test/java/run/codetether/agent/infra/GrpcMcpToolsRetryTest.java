package run.codetether.agent.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.mcp.McpServerSpec;
import run.codetether.agent.domain.port.McpTools;
import run.codetether.agent.infra.tools.GrpcMcpTools;
import run.codetether.agent.infra.tools.ToolRetry;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.McpContent;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * Issue 19: an MCP call (CallMcpTool) cut off by tools-service going away is repeated under the SAME call id until
 * tools-service is back, as Execute is; what the restarted service answers (its start marker's INTERRUPTED, or the
 * stored answer) is the outcome; a service that never comes back is INTERRUPTED, never an ordinary result. Real gRPC
 * servers on loopback ({@link ToolsServiceCutOff}); the first dies with the call open.
 */
class GrpcMcpToolsRetryTest {
    private static final McpServerSpec SERVER = new McpServerSpec("deploy", List.of("deploy-server"), null, null, null,
            null, null, null, null, false);

    /** A tools-service that takes the call and then never answers it. */
    private static BindableService dying(List<String> callIds, CountDownLatch started) {
        return new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void callMcpTool(CallMcpToolRequest request, StreamObserver<CallMcpToolResponse> out) {
                callIds.add(request.getCallId());
                started.countDown(); // never answers: the server is shut down under the call
            }
        };
    }

    /** The restarted tools-service: answers the repeat as its result store and start marker would. */
    private static BindableService restarted(List<String> callIds, CallMcpToolResponse answer) {
        return new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void callMcpTool(CallMcpToolRequest request, StreamObserver<CallMcpToolResponse> out) {
                callIds.add(request.getCallId());
                out.onNext(answer.toBuilder().setCallId(request.getCallId()).build());
                out.onCompleted();
            }
        };
    }

    private static McpTools.Outcome call(int port, ToolRetry retry, String callId, String args) throws Exception {
        try (GrpcMcpTools mcp = new GrpcMcpTools("127.0.0.1", port, retry)) {
            return mcp.call("s1", callId, SERVER, "release", args, Duration.ofSeconds(30));
        }
    }

    private static McpTools.Outcome killMidCallThenRestart(CallMcpToolResponse restartedAnswer, List<String> callIds)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        return ToolsServiceCutOff.cutThenRestart(dying(callIds, started), started,
                restarted(callIds, restartedAnswer),
                port -> call(port, ToolsServiceCutOff.FAST, "ctx/t1/call_9", "{\"version\":\"1.2\"}"));
    }

    @Test
    void aCallCutOffMidRunIsRepeatedUnderTheSameCallIdAndItsInterruptionReported() throws Exception {
        List<String> callIds = new CopyOnWriteArrayList<>();
        McpTools.Outcome o = killMidCallThenRestart(CallMcpToolResponse.newBuilder().setOk(false).setInterrupted(true)
                .setError("INTERRUPTED: this call started before tools-service restarted and did not finish").build(),
                callIds);
        assertTrue(o.interrupted(), o.toString());
        assertFalse(o.ok());
        assertTrue(o.error().contains("started before tools-service restarted"), o.error());
        assertTrue(callIds.size() >= 2, "repeated after the restart: " + callIds);
        assertTrue(callIds.stream().allMatch("ctx/t1/call_9"::equals), "always the same call id: " + callIds);
    }

    @Test
    void aCallThatFinishedBeforeTheCutIsAnsweredFromTheStoreAsAnOrdinaryAnswer() throws Exception {
        List<String> callIds = new CopyOnWriteArrayList<>();
        McpTools.Outcome o = killMidCallThenRestart(CallMcpToolResponse.newBuilder().setOk(true).setReplayed(true)
                .addContent(McpContent.newBuilder().setText("released 1.2")).build(), callIds);
        assertTrue(o.ok(), o.toString());
        assertTrue(o.replayed());
        assertFalse(o.interrupted());
        assertEquals(List.of(new McpTools.Text("released 1.2")), o.content());
    }

    @Test
    void aToolsServiceThatNeverComesBackIsReportedAsInterruptedAfterTheRetryTime() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ToolRetry shortRetry = new ToolRetry(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200));
        long t0 = System.nanoTime();
        McpTools.Outcome o = ToolsServiceCutOff.cutForGood(dying(new CopyOnWriteArrayList<>(), started), started,
                port -> call(port, shortRetry, "c9", "{}"));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(o.interrupted(), o.toString());
        assertFalse(o.ok());
        assertTrue(o.error().contains("did not answer it again within 1 s")
                && o.error().contains("codetether.agent.tools.retry-for"), o.error());
        assertTrue(waitedMs < 10_000, "bounded by retry-for, waited " + waitedMs + " ms");
    }
}
