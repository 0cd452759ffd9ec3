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
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.agent.domain.mcp.McpServerSpec;
import run.codetether.agent.domain.port.McpTools;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.infra.tools.GrpcMcpTools;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.infra.tools.ToolRetry;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.McpContent;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * Issue 19: a call cut off by tools-service going away is repeated under the SAME call id until tools-service is
 * back, and what the restarted service answers (its start marker's INTERRUPTED, or the stored answer) is the
 * outcome; a service that never comes back is INTERRUPTED, never an ordinary result. The same cases run for both of
 * the agent's tools-service calls, Execute ({@link GrpcToolExecutor}) and CallMcpTool ({@link GrpcMcpTools}), over
 * real gRPC servers on loopback ({@link ToolsServiceCutOff}); the first dies with the call open.
 */
class ToolsServiceRetryTest {
    private static final String INTERRUPTED =
            "INTERRUPTED: this call started before tools-service restarted and did not finish";

    /** What the cases read of either call's outcome (and what the restarted service answers). */
    record Seen(boolean ok, boolean interrupted, boolean replayed, String error, String text) {}

    /** One of the agent's calls to tools-service: the servers that take it and the client that makes it. */
    interface Rpc {
        /** A tools-service that takes the call, signals {@code started} and never finishes it. */
        BindableService dying(List<String> callIds, CountDownLatch started);

        /** The restarted tools-service: answers the repeat as its result store and start marker would. */
        BindableService restarted(List<String> callIds, Seen answer);

        Seen call(int port, ToolRetry retry, String callId) throws Exception;
    }

    private static final Rpc EXECUTE = new Rpc() {
        @Override
        public BindableService dying(List<String> callIds, CountDownLatch started) {
            return new ToolServiceGrpc.ToolServiceImplBase() {
                @Override
                public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                    callIds.add(request.getCallId());
                    out.onNext(ExecuteChunk.newBuilder().setStdout("started\n").build());
                    started.countDown(); // never completes: the server is shut down under it
                }
            };
        }

        @Override
        public BindableService restarted(List<String> callIds, Seen answer) {
            return new ToolServiceGrpc.ToolServiceImplBase() {
                @Override
                public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                    callIds.add(request.getCallId());
                    ExecuteResponse.Builder r = ExecuteResponse.newBuilder().setCallId(request.getCallId())
                            .setOk(answer.ok()).setInterrupted(answer.interrupted()).setReplayed(answer.replayed());
                    if (answer.error() != null) {
                        r.setError(answer.error());
                    }
                    if (answer.text() != null) {
                        r.setOutput(answer.text());
                    }
                    out.onNext(ExecuteChunk.newBuilder().setResult(r).build());
                    out.onCompleted();
                }
            };
        }

        @Override
        public Seen call(int port, ToolRetry retry, String callId) throws Exception {
            try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", port, retry)) {
                ToolExecutor.Outcome o = tools.execute("s1", callId, "bash", "{\"command\":\"make\"}",
                        Duration.ofSeconds(30), line -> {});
                return new Seen(o.ok(), o.interrupted(), o.replayed(), o.error(), o.output());
            }
        }
    };

    private static final Rpc CALL_MCP_TOOL = new Rpc() {
        private static final McpServerSpec SERVER = new McpServerSpec("deploy", List.of("deploy-server"), null,
                null, null, null, null, null, null, false);

        @Override
        public BindableService dying(List<String> callIds, CountDownLatch started) {
            return new ToolServiceGrpc.ToolServiceImplBase() {
                @Override
                public void callMcpTool(CallMcpToolRequest request, StreamObserver<CallMcpToolResponse> out) {
                    callIds.add(request.getCallId());
                    started.countDown(); // never answers: the server is shut down under the call
                }
            };
        }

        @Override
        public BindableService restarted(List<String> callIds, Seen answer) {
            return new ToolServiceGrpc.ToolServiceImplBase() {
                @Override
                public void callMcpTool(CallMcpToolRequest request, StreamObserver<CallMcpToolResponse> out) {
                    callIds.add(request.getCallId());
                    CallMcpToolResponse.Builder r = CallMcpToolResponse.newBuilder().setCallId(request.getCallId())
                            .setOk(answer.ok()).setInterrupted(answer.interrupted()).setReplayed(answer.replayed());
                    if (answer.error() != null) {
                        r.setError(answer.error());
                    }
                    if (answer.text() != null) {
                        r.addContent(McpContent.newBuilder().setText(answer.text()));
                    }
                    out.onNext(r.build());
                    out.onCompleted();
                }
            };
        }

        @Override
        public Seen call(int port, ToolRetry retry, String callId) throws Exception {
            try (GrpcMcpTools mcp = new GrpcMcpTools("127.0.0.1", port, retry)) {
                McpTools.Outcome o = mcp.call("s1", callId, SERVER, "release", "{\"version\":\"1.2\"}",
                        Duration.ofSeconds(30));
                String text = o.content().isEmpty() ? null
                        : o.content().size() == 1 && o.content().get(0) instanceof McpTools.Text t ? t.text()
                        : o.content().toString();
                return new Seen(o.ok(), o.interrupted(), o.replayed(), o.error(), text);
            }
        }
    };

    static Stream<Named<Rpc>> rpcs() {
        return Stream.of(Named.of("Execute", EXECUTE), Named.of("CallMcpTool", CALL_MCP_TOOL));
    }

    private static Seen killMidCallThenRestart(Rpc rpc, Seen restartedAnswer, List<String> callIds, String callId)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        return ToolsServiceCutOff.cutThenRestart(rpc.dying(callIds, started), started,
                rpc.restarted(callIds, restartedAnswer), port -> rpc.call(port, ToolsServiceCutOff.FAST, callId));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void aCallCutOffMidRunIsRepeatedUnderTheSameCallIdAndItsInterruptionReported(Rpc rpc) throws Exception {
        List<String> callIds = new CopyOnWriteArrayList<>();
        Seen o = killMidCallThenRestart(rpc, new Seen(false, true, false, INTERRUPTED, null), callIds,
                "ctx/t1/call_7");
        assertTrue(o.interrupted(), o.toString());
        assertFalse(o.ok());
        assertTrue(o.error().contains("started before tools-service restarted"), o.error());
        assertTrue(callIds.size() >= 2, "repeated after the restart: " + callIds);
        assertTrue(callIds.stream().allMatch("ctx/t1/call_7"::equals), "always the same call id: " + callIds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void aCallThatFinishedBeforeTheCutIsAnsweredFromTheStoreAsAnOrdinaryResult(Rpc rpc) throws Exception {
        Seen o = killMidCallThenRestart(rpc, new Seen(true, false, true, null, "released 1.2"),
                new CopyOnWriteArrayList<>(), "ctx/t1/call_9");
        assertTrue(o.ok(), o.toString());
        assertTrue(o.replayed());
        assertFalse(o.interrupted());
        assertEquals("released 1.2", o.text());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void aToolsServiceThatNeverComesBackIsReportedAsInterruptedAfterTheRetryTime(Rpc rpc) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ToolRetry shortRetry = new ToolRetry(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200));
        long t0 = System.nanoTime();
        Seen o = ToolsServiceCutOff.cutForGood(rpc.dying(new CopyOnWriteArrayList<>(), started), started,
                port -> rpc.call(port, shortRetry, "c9"));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(o.interrupted(), o.toString());
        assertFalse(o.ok());
        assertTrue(o.error().contains("did not answer it again within 1 s")
                && o.error().contains("codetether.agent.tools.retry-for"), o.error());
        assertTrue(waitedMs < 10_000, "bounded by retry-for, waited " + waitedMs + " ms");
    }
}
