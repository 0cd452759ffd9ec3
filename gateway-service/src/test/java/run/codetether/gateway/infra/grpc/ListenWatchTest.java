package run.codetether.gateway.infra.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.net.LoopbackPorts;
import run.codetether.gateway.support.Await;

/**
 * Issue 19: a gateway whose gRPC server was "still not listening after 1 minute" stayed up and never ready. The
 * watch connects to the real port: not listening turns it not ready, and past the timeout it hands over the reason
 * the gateway exits with; a server that listens in time is never exited, one that stops listening is.
 */
class ListenWatchTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aServerThatNeverListensIsNotReadyThenExitsWithTheReason() throws Exception {
        int port = LoopbackPorts.free();
        var exits = new CopyOnWriteArrayList<String>();
        long began = System.nanoTime();
        try (ListenWatch watch = new ListenWatch("gRPC server", () -> Optional.of(new InetSocketAddress(LOOPBACK,
                port)), Duration.ofMillis(1500), Duration.ofMillis(100), exits::add).start()) {
            Await.until(watch::state, s -> s instanceof ListenWatch.State.NotListening n
                    && !n.why().equals("not probed yet"), Duration.ofSeconds(5), "the first probe");
            assertFalse(watch.listening(), "nothing listens: not ready");
            assertTrue(((ListenWatch.State.NotListening) watch.state()).why().contains("ConnectException"),
                    watch.state().toString());
            assertTrue(exits.isEmpty(), "no exit before the timeout");

            Await.until(() -> exits, e -> !e.isEmpty(), Duration.ofSeconds(10), "the exit");
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertTrue(tookMs >= 1500, "not before the timeout: " + tookMs + " ms");
            assertEquals(1, exits.size());
            String message = exits.getFirst();
            assertTrue(message.contains("gRPC server has not listened on") && message.contains(":" + port)
                    && message.contains("exiting"), message);
            assertInstanceOf(ListenWatch.State.Stuck.class, watch.state());
            Thread.sleep(400);
            assertEquals(1, exits.size(), "exits once");
        }
    }

    @Test
    void aServerThatListensLateIsReadyAndNeverExited() throws Exception {
        int port = LoopbackPorts.free();
        var exits = new CopyOnWriteArrayList<String>();
        try (ListenWatch watch = new ListenWatch("gRPC server", () -> Optional.of(new InetSocketAddress(LOOPBACK,
                port)), Duration.ofMillis(1500), Duration.ofMillis(100), exits::add).start()) {
            Thread.sleep(500);
            assertFalse(watch.listening());
            try (ServerSocket server = new ServerSocket(port, 50, LOOPBACK)) {
                Await.until(watch::listening, l -> l, Duration.ofSeconds(5), "listening seen");
                Thread.sleep(2000); // past the timeout: listening in time means no exit
                assertTrue(watch.listening());
                assertTrue(exits.isEmpty(), exits.toString());
            }
        }
    }

    @Test
    void aPortNotBoundYetCountsAsNotListening() throws Exception {
        var exits = new CopyOnWriteArrayList<String>();
        try (ListenWatch watch = new ListenWatch("gRPC server", Optional::empty, Duration.ofMillis(500),
                Duration.ofMillis(100), exits::add).start()) {
            Await.until(() -> exits, e -> !e.isEmpty(), Duration.ofSeconds(10), "the exit");
            assertTrue(exits.getFirst().contains("no port bound yet"), exits.getFirst());
        }
    }

    @Test
    void aServerThatStopsListeningIsNotReadyThenExits() throws Exception {
        int port = LoopbackPorts.free();
        var exits = new CopyOnWriteArrayList<String>();
        try (ListenWatch watch = new ListenWatch("gRPC server", () -> Optional.of(new InetSocketAddress(LOOPBACK,
                port)), Duration.ofMillis(1500), Duration.ofMillis(100), exits::add).start()) {
            try (ServerSocket server = new ServerSocket(port, 50, LOOPBACK)) {
                Await.until(watch::listening, l -> l, Duration.ofSeconds(5), "listening seen");
            }
            long closed = System.nanoTime();
            Await.until(watch::listening, l -> !l, Duration.ofSeconds(5), "not listening seen");
            assertTrue(exits.isEmpty(), "the timeout counts from the stop");
            Await.until(() -> exits, e -> !e.isEmpty(), Duration.ofSeconds(10), "the exit");
            assertTrue((System.nanoTime() - closed) / 1_000_000 >= 1400, "counted from the stop, not the start");
        }
    }

    /**
     * A port another process listens on answers the watch's connect: before, that counted as this gateway's gRPC
     * server listening (readiness UP, never exited) though its own server had failed to bind. Now it is named as
     * another process's and the watch exits past the timeout.
     */
    @Test
    void aPortListenedOnByAnotherProcessIsNotThisServerListening() throws Exception {
        Process other = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                + "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(5)\n"
                + "print(s.getsockname()[1], flush=True)\n"
                + "while True:\n  c, _ = s.accept(); c.close()").redirectErrorStream(true).start();
        try {
            int port = Integer.parseInt(new java.io.BufferedReader(new java.io.InputStreamReader(
                    other.getInputStream())).readLine().trim());
            var exits = new CopyOnWriteArrayList<String>();
            try (ListenWatch watch = new ListenWatch("gRPC server", () -> Optional.of(new InetSocketAddress(LOOPBACK,
                    port)), Duration.ofMillis(1500), Duration.ofMillis(100), exits::add).start()) {
                Await.until(watch::state, st -> st instanceof ListenWatch.State.NotListening n
                        && n.why().contains("another process"), Duration.ofSeconds(5), "the other process named");
                assertFalse(watch.listening());
                Await.until(() -> exits, e -> !e.isEmpty(), Duration.ofSeconds(10), "the exit");
                assertTrue(exits.getFirst().contains("listened on by another process"), exits.getFirst());
            }
            // and a server of this process on a port is still this server listening
            try (ServerSocket own = new ServerSocket(0, 50, LOOPBACK)) {
                assertEquals(ListenerOwner.THIS_PROCESS, ListenerOwner.ofPort(own.getLocalPort()));
            }
            assertEquals(ListenerOwner.OTHER, ListenerOwner.ofPort(port));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    /**
     * The remembered listener of this process (the fd scan skipped while its socket is listed) never vouches for
     * another program that took the port after this process's server closed: the inode differs.
     */
    @Test
    void aPortRetakenByAnotherProcessAfterThisServerClosedIsNotThisServer() throws Exception {
        int port;
        try (ServerSocket own = new ServerSocket(0, 50, LOOPBACK)) {
            port = own.getLocalPort();
            assertEquals(ListenerOwner.THIS_PROCESS, ListenerOwner.ofPort(port));
            assertEquals(ListenerOwner.THIS_PROCESS, ListenerOwner.ofPort(port)); // the remembered socket
        }
        Process other = new ProcessBuilder("python3", "-c", "import socket,time\n"
                + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('127.0.0.1'," + port + ")); s.listen(5)\n"
                + "print('up', flush=True)\n"
                + "time.sleep(60)").redirectErrorStream(true).start();
        try {
            assertEquals("up", new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))
                    .readLine().trim());
            assertEquals(ListenerOwner.OTHER, ListenerOwner.ofPort(port));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void listenEntriesOfThePortAreReadFromTheTable() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0",
                "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0",
                "   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0",
                "   3: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 444 1 0",
                "   4: 0100007F:1F90 00000000:0000 0A",
                "");
        assertEquals(java.util.Set.of("socket:[111]", "socket:[444]"), ListenerOwner.listeningInodes(table, 8080));
        assertEquals(java.util.Set.of("socket:[333]"), ListenerOwner.listeningInodes(table, 8081));
        assertEquals(java.util.Set.of(), ListenerOwner.listeningInodes(table, 80));
    }
}
