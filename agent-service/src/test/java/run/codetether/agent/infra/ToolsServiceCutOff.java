package run.codetether.agent.infra;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import run.codetether.agent.infra.tools.ToolRetry;

/**
 * The kill-and-restart drill of the agent's tools-service clients (issue 19), shared by the Execute and CallMcpTool
 * retry tests: a real gRPC tools-service on a loopback port takes the call and signals {@code started}; it is then
 * shut down with the call open (no answer ever comes from it), and either a restarted one serves the same port after
 * a restart gap, or none ever does.
 */
final class ToolsServiceCutOff {
    /** Repeats every 100-400 ms for up to 20 s: the restarted service is back well within that. */
    static final ToolRetry FAST = new ToolRetry(Duration.ofSeconds(20), Duration.ofMillis(100),
            Duration.ofMillis(400));
    /** How long the port refuses connections between the cut and the restart (the repeats meet that gap). */
    private static final Duration RESTART_GAP = Duration.ofMillis(700);

    /** The client's call against a tools-service on {@code port}. */
    @FunctionalInterface
    interface CallOn<T> {
        T call(int port) throws Exception;
    }

    private ToolsServiceCutOff() {}

    static Server serve(int port, BindableService service) throws Exception {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(service).build().start();
    }

    /**
     * Runs {@code call} against {@code dying}; once it has the call ({@code started}), it dies, and after the restart
     * gap {@code restarted} serves the same port. Returns what the client's call returned.
     */
    static <T> T cutThenRestart(BindableService dying, CountDownLatch started, BindableService restarted,
            CallOn<T> call) throws Exception {
        Server first = serve(0, dying);
        int port = first.getPort();
        Server[] second = new Server[1];
        try {
            Thread.ofVirtual().start(() -> {
                try {
                    cut(first, started);
                    first.awaitTermination(5, TimeUnit.SECONDS);
                    // the scenario's down-time itself (not a wait for a condition): repeats meet a refused connection
                    Thread.sleep(RESTART_GAP);
                    synchronized (second) {
                        second[0] = serve(port, restarted);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return call.call(port);
        } finally {
            first.shutdownNow();
            synchronized (second) {
                if (second[0] != null) {
                    second[0].shutdownNow();
                }
            }
        }
    }

    /** Runs {@code call} against {@code dying}, which dies once it has the call; nothing serves its port again. */
    static <T> T cutForGood(BindableService dying, CountDownLatch started, CallOn<T> call) throws Exception {
        Server first = serve(0, dying);
        try {
            Thread.ofVirtual().start(() -> cut(first, started));
            return call.call(first.getPort());
        } finally {
            first.shutdownNow();
        }
    }

    private static void cut(Server server, CountDownLatch started) {
        try {
            if (started.await(10, TimeUnit.SECONDS)) {
                server.shutdownNow(); // the call is cut: no answer ever comes from this server
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
