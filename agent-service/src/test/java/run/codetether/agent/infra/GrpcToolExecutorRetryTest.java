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
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.infra.tools.ToolRetry;
import run.codetether.contracts.tools.v1.ExecuteChunk;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * Issue 19: a call cut off by tools-service going away is repeated under the SAME call id until tools-service is
 * back, and what the restarted service answers is the outcome; a service that never comes back is INTERRUPTED,
 * never an ordinary result. Real gRPC servers on loopback ({@link ToolsServiceCutOff}); the first dies in the
 * middle of the call.
 */
class GrpcToolExecutorRetryTest {

    /** A tools-service that starts the call, streams a line, then never completes it. */
    private static BindableService dying(List<String> callIds, CountDownLatch started) {
        return new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                callIds.add(request.getCallId());
                out.onNext(ExecuteChunk.newBuilder().setStdout("started\n").build());
                started.countDown(); // never completes: the server is shut down under it
            }
        };
    }

    /** The restarted tools-service: answers the repeat as its result store would. */
    private static BindableService restarted(List<String> callIds, ExecuteResponse answer) {
        return new ToolServiceGrpc.ToolServiceImplBase() {
            @Override
            public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                callIds.add(request.getCallId());
                out.onNext(ExecuteChunk.newBuilder().setResult(answer.toBuilder()
                        .setCallId(request.getCallId())).build());
                out.onCompleted();
            }
        };
    }

    private static ToolExecutor.Outcome execute(int port, ToolRetry retry, String callId) throws Exception {
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", port, retry)) {
            return tools.execute("s1", callId, "bash", "{\"command\":\"make\"}", Duration.ofSeconds(30), line -> {});
        }
    }

    private static ToolExecutor.Outcome killMidCallThenRestart(ExecuteResponse restartedAnswer, List<String> callIds)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        return ToolsServiceCutOff.cutThenRestart(dying(callIds, started), started,
                restarted(callIds, restartedAnswer), port -> execute(port, ToolsServiceCutOff.FAST, "ctx/t1/call_7"));
    }

    @Test
    void aCallCutOffMidRunIsRepeatedUnderTheSameCallIdAndItsInterruptionReported() throws Exception {
        List<String> callIds = new CopyOnWriteArrayList<>();
        ToolExecutor.Outcome o = killMidCallThenRestart(ExecuteResponse.newBuilder().setOk(false).setInterrupted(true)
                .setError("INTERRUPTED: this call started before tools-service restarted and did not finish").build(),
                callIds);
        assertTrue(o.interrupted(), o.toString());
        assertFalse(o.ok());
        assertTrue(o.error().contains("started before tools-service restarted"), o.error());
        assertTrue(callIds.size() >= 2, "repeated after the restart: " + callIds);
        assertTrue(callIds.stream().allMatch("ctx/t1/call_7"::equals), "always the same call id: " + callIds);
    }

    @Test
    void aCallThatFinishedBeforeTheCutIsAnsweredFromTheStoreAsAnOrdinaryResult() throws Exception {
        List<String> callIds = new CopyOnWriteArrayList<>();
        ToolExecutor.Outcome o = killMidCallThenRestart(ExecuteResponse.newBuilder().setOk(true).setOutput("built")
                .setReplayed(true).build(), callIds);
        assertTrue(o.ok(), o.toString());
        assertTrue(o.replayed());
        assertFalse(o.interrupted());
        assertEquals("built", o.output());
    }

    @Test
    void aToolsServiceThatNeverComesBackIsReportedAsInterruptedAfterTheRetryTime() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        ToolRetry shortRetry = new ToolRetry(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200));
        long t0 = System.nanoTime();
        ToolExecutor.Outcome o = ToolsServiceCutOff.cutForGood(dying(new CopyOnWriteArrayList<>(), started), started,
                port -> execute(port, shortRetry, "c9"));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(o.interrupted(), o.toString());
        assertFalse(o.ok());
        assertTrue(o.error().contains("did not answer it again within 1 s"), o.error());
        assertTrue(o.error().contains("codetether.agent.tools.retry-for"), o.error());
        assertTrue(waitedMs < 10_000, "bounded by retry-for, waited " + waitedMs + " ms");
    }
}
