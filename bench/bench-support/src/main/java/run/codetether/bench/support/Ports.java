package run.codetether.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports: benchmarks never take the local stack's default ports (8080-8084, 9092-9093). */
public final class Ports {
    private Ports() {}

    /**
     * A port nothing listens on at the time of the call, on 127.0.0.1. Another process may take it before the caller
     * binds it; the caller's readiness wait then fails with the child's log, which names the clash.
     */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
