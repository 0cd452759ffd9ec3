package run.codetether.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.HttpConnectProxiedSocketAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which proxy the worker's gRPC stream takes, from the flag or the environment, as curl and git read them. */
class WorkerProxyTest {
    private static final URI PLAIN = URI.create("http://gateway.corp.invalid:9000");
    private static final URI TLS = URI.create("https://gateway.corp.invalid");

    @Test
    void theFlagWinsThenTheSchemesVariableUnlessNoProxyNamesTheServer() {
        assertEquals("127.0.0.1:8888", WorkerProxy.resolve("http://127.0.0.1:8888", Map.of("HTTP_PROXY",
                "http://127.0.0.1:1"), PLAIN).orElseThrow().toString());
        assertEquals("127.0.0.1:1", WorkerProxy.resolve(null, Map.of("http_proxy", "127.0.0.1:1"), PLAIN)
                .orElseThrow().toString());
        assertTrue(WorkerProxy.resolve(null, Map.of("HTTP_PROXY", "http://127.0.0.1:1"), TLS).isEmpty(),
                "an https server takes HTTPS_PROXY, not HTTP_PROXY");
        assertEquals(3128, WorkerProxy.resolve(null, Map.of("HTTPS_PROXY", "http://127.0.0.1"), TLS).orElseThrow()
                .port());
        for (String np : new String[] {"*", "gateway.corp.invalid", ".corp.invalid", "corp.invalid:443",
                "other.invalid, *.corp.invalid"}) {
            assertTrue(WorkerProxy.resolve(null, Map.of("HTTPS_PROXY", "http://127.0.0.1:1", "NO_PROXY", np), TLS)
                    .isEmpty(), np);
        }
        assertFalse(WorkerProxy.noProxy("corp.invalid.evil.invalid,xcorp.invalid", "gateway.corp.invalid"));
        assertTrue(WorkerProxy.resolve(null, Map.of(), PLAIN).isEmpty());
    }

    @Test
    void credentialsGoToTheConnectRequestAndNeverIntoTheLogLine() throws Exception {
        WorkerProxy p = WorkerProxy.resolve("http://bob:s%40cret@127.0.0.1:3129", Map.of(), TLS).orElseThrow();
        assertEquals("127.0.0.1:3129", p.toString());
        var proxied = (HttpConnectProxiedSocketAddress) p.detector().proxyFor(
                InetSocketAddress.createUnresolved("gateway.corp.invalid", 443));
        assertEquals("bob", proxied.getUsername());
        assertEquals("s@cret", proxied.getPassword());
        assertEquals(3129, ((InetSocketAddress) proxied.getProxyAddress()).getPort());
        assertEquals("gateway.corp.invalid", proxied.getTargetAddress().getHostString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerProxy.resolve("socks5://bob:pw@127.0.0.1:1080", Map.of(), TLS));
        assertFalse(e.getMessage().contains("pw"), e.getMessage());
    }
}
