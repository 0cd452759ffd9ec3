package run.codetether.agent.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * never an ordinary result. Real gRPC servers on loopback; the first dies in the middle of the call.
 */
class GrpcToolExecutorRetryTest {
    private static final ToolRetry FAST = new ToolRetry(Duration.ofSeconds(20), Duration.ofMillis(100),
            Duration.ofMillis(400));

    /** A tools-service that starts the call, streams a line, then dies with the call open. */
    private static Server dying(int port, List<String> callIds, CountDownLatch started) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(new ToolServiceGrpc.ToolServiceImplBase() {
                    @Override
                    public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                        callIds.add(request.getCallId());
                        out.onNext(ExecuteChunk.newBuilder().setStdout("started\n").build());
                        started.countDown(); // never completes: the server is shut down under it
                    }
                }).build().start();
    }

    /** The restarted tools-service: answers the repeat as its result store would. */
    private static Server restarted(int port, List<String> callIds, ExecuteResponse answer) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(new ToolServiceGrpc.ToolServiceImplBase() {
                    @Override
                    public void executeStream(ExecuteRequest request, StreamObserver<ExecuteChunk> out) {
                        callIds.add(request.getCallId());
                        out.onNext(ExecuteChunk.newBuilder().setResult(answer.toBuilder()
                                .setCallId(request.getCallId())).build());
                        out.onCompleted();
                    }
                }).build().start();
    }

    private static ToolExecutor.Outcome killMidCallThenRestart(ExecuteResponse restartedAnswer, List<String> callIds)
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Server first = dying(0, callIds, started);
        int port = first.getPort();
        Server[] second = new Server[1];
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", port, FAST)) {
            Thread.ofVirtual().start(() -> {
                try {
                    started.await(10, TimeUnit.SECONDS);
                    first.shutdownNow(); // the call is cut: no result ever comes from this server
                    first.awaitTermination(5, TimeUnit.SECONDS);
                    Thread.sleep(700); // the gap while the service restarts: repeats meet a refused connection
                    second[0] = restarted(port, callIds, restartedAnswer);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<String> live = new CopyOnWriteArrayList<>();
            return tools.execute("s1", "ctx/t1/call_7", "bash", "{\"command\":\"make\"}", Duration.ofSeconds(30),
                    live::add);
        } finally {
            first.shutdownNow();
            if (second[0] != null) {
                second[0].shutdownNow();
            }
        }
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
        List<String> callIds = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        Server first = dying(0, callIds, started);
        ToolRetry shortRetry = new ToolRetry(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200));
        try (GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", first.getPort(), shortRetry)) {
            Thread.ofVirtual().start(() -> {
                try {
                    started.await(10, TimeUnit.SECONDS);
                    first.shutdownNow();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long t0 = System.nanoTime();
            ToolExecutor.Outcome o = tools.execute("s1", "c9", "bash", "{}", Duration.ofSeconds(30), line -> {});
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(o.interrupted(), o.toString());
            assertFalse(o.ok());
            assertTrue(o.error().contains("did not answer it again within 1 s"), o.error());
            assertTrue(o.error().contains("codetether.agent.tools.retry-for"), o.error());
            assertTrue(waitedMs < 10_000, "bounded by retry-for, waited " + waitedMs + " ms");
        } finally {
            first.shutdownNow();
        }
    }
}
