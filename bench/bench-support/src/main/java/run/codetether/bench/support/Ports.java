package run.codetether.bench.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports: benchmarks never take the local stack's default ports (8080-8084, 9092-9093), nor one from the
 * ephemeral range (32768+), where a child's own Kafka client may connect from the port it is about to listen on.
 * Same policy as the tests' {@code LoopbackPorts} (bench-support stays free of the test fixtures' dependencies).
 */
public final class Ports {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {}

    /** A port on 127.0.0.1 nothing listens on now, between 20000 and 32000, not handed out before by this JVM. */
    public static int freeLoopbackPort() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // someone listens there: another one
            }
        }
        throw new IllegalStateException("no free loopback port between 20000 and 32000 after 1,000 tries");
    }
}
