package run.codetether.tools.infra.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;

/**
 * The proxy on its Unix socket, spoken to directly: CONNECT and plain http to an allowed loopback registry; a host not
 * on the list, cloud metadata, a listed name that resolves to loopback on an unlisted port, a name that does not
 * resolve, garbage, and an allowed destination that is down; every one recorded and counted. Nothing here connects
 * anywhere but 127.0.0.1: every other destination is refused before a connection.
 */
class EgressProxyTest {

    @TempDir
    static Path dir;

    static FakeRegistry registry;
    static EgressProxy proxy;
    static EgressLog log;
    static SimpleMeterRegistry meters = new SimpleMeterRegistry();
    static int down;

    /** Test names: never DNS. */
    static EgressPolicy.Resolver names(Map<String, String> table) {
        return host -> {
            String ip = table.get(host);
            if (ip == null) {
                throw new java.net.UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(ip)};
        };
    }

    @BeforeAll
    static void start() throws IOException {
        registry = new FakeRegistry();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = s.getLocalPort();
        }
        int p = registry.port();
        HostGate gate = new HostGate(HostAllowlist.of(List.of("127.0.0.1:" + p, "registry.allowed.invalid:" + p,
                "*.allowed.invalid", "169.254.169.254", "127.0.0.1:" + down)), false, names(Map.of(
                        "registry.allowed.invalid", "127.0.0.1", "sneaky.allowed.invalid", "127.0.0.1",
                        "evil.invalid", "127.0.0.1")), "CODETETHER_TOOLS_EGRESS_ALLOWED_HOSTS");
        log = new EgressLog(meters, 50);
        proxy = new EgressProxy(dir.resolve("sockets"), gate, log, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    static String exchange(String session, String request) throws IOException {
        Path sock = proxy.socketFor(session);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            ch.shutdownOutput();
            var out = new java.io.ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (ch.read(b) >= 0) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void connectTunnelsToTheAllowedLoopbackRegistry() throws IOException {
        int p = registry.port();
        String r = exchange("tunnel", "CONNECT 127.0.0.1:" + p + " HTTP/1.1\r\nHost: 127.0.0.1:" + p + "\r\n\r\n"
                + "GET /maven2/junit.pom HTTP/1.1\r\nHost: 127.0.0.1:" + p + "\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200 Connection established").contains("registry-ok GET /maven2/junit.pom");
        EgressEvent e = last("tunnel");
        assertEquals(EgressEvent.ALLOWED, e.outcome());
        assertEquals("127.0.0.1", e.address());
        assertTrue(e.bytesUp() > 40 && e.bytesDown() > 40, e.toString());
    }

    @Test
    void plainHttpIsRewrittenToOriginFormAndTheNameReachesTheServer() throws IOException {
        int p = registry.port();
        String r = exchange("plain", "GET http://registry.allowed.invalid:" + p + "/npm/left-pad?x=1 HTTP/1.1\r\n"
                + "Host: registry.allowed.invalid:" + p + "\r\nProxy-Connection: keep-alive\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200").contains("registry-ok GET /npm/left-pad?x=1 host=registry.allowed.invalid:" + p);
        assertEquals("allowed", last("plain").outcome());
    }

    @Test
    void refusalsHappenBeforeAnyConnectionAndSayWhy() throws IOException {
        int p = registry.port();
        record Case(String request, String status, String reason, String says) {}
        List<Case> cases = List.of(
                new Case("CONNECT evil.invalid:" + p + " HTTP/1.1\r\n\r\n", "403", "not-allowed",
                        "evil.invalid:" + p + " is not on the allowlist"),
                new Case("GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n", "403",
                        "internal-address", "resolves to 169.254.169.254 (link-local)"),
                new Case("CONNECT sneaky.allowed.invalid:" + (p == 65535 ? 1 : p + 1) + " HTTP/1.1\r\n\r\n", "403",
                        "internal-address", "resolves to 127.0.0.1 (loopback)"),
                new Case("CONNECT nowhere.allowed.invalid:443 HTTP/1.1\r\n\r\n", "403", "unresolved", "does not resolve"),
                new Case("HELLO\r\n\r\n", "400", "bad-request", "not an HTTP proxy request"),
                new Case("GET https://registry.allowed.invalid/ HTTP/1.1\r\n\r\n", "400", "bad-request", "CONNECT"));
        for (Case k : cases) {
            String r = exchange("refused", k.request());
            assertThat(r).as(k.request()).startsWith("HTTP/1.1 " + k.status()).contains("X-Codetether-Egress: refused")
                    .contains(k.says());
            EgressEvent e = last("refused");
            assertEquals(EgressEvent.REFUSED, e.outcome());
            assertEquals(k.reason(), e.reason(), k.request());
            assertEquals("", e.address());
        }
        assertTrue(registry.seen.stream().noneMatch(s -> s.contains("evil")), "nothing refused reached the registry");
        assertTrue(meters.counter("codetether.tools.egress.requests", "outcome", "refused", "reason", "internal-address")
                .count() >= 2);
    }

    @Test
    void anAllowedDestinationThatIsDownIsABadGateway() throws IOException {
        String r = exchange("down", "CONNECT 127.0.0.1:" + down + " HTTP/1.1\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 502").contains("cannot connect to 127.0.0.1:" + down);
        assertEquals(EgressEvent.FAILED, last("down").outcome());
    }

    @Test
    void eachSessionHasItsOwnSocketAndHistory() throws IOException {
        assertTrue(!proxy.socketFor("a").equals(proxy.socketFor("b")));
        exchange("a", "CONNECT evil.invalid:1 HTTP/1.1\r\n\r\n");
        assertTrue(log.recent("b").isEmpty());
        proxy.closeSession("a");
        assertTrue(!java.nio.file.Files.exists(dir.resolve("sockets").resolve(EgressProxy.hash("a") + ".sock")));
    }

    static EgressEvent last(String session) {
        List<EgressEvent> r = log.recent(session);
        assertTrue(!r.isEmpty(), "no event for " + session);
        return r.get(r.size() - 1);
    }
}
