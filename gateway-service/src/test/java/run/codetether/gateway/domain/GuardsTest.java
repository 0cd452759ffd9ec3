package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** SSRF policy, API keys and the rate limiter: no network, no clock. */
class GuardsTest {
    /** Resolves literals only: these tests never look a name up. */
    static InetAddress[] literal(String host) {
        try {
            return host.endsWith(".invalid") ? new InetAddress[0] : new InetAddress[] {InetAddress.getByName(host)};
        } catch (Exception e) {
            return new InetAddress[0];
        }
    }

    @Test
    void refusesNonHttpAndPrivateTargets() {
        UrlPolicy strict = new UrlPolicy(false, GuardsTest::literal);
        for (String url : List.of("file:///etc/passwd", "ftp://8.8.8.8/x", "http://127.0.0.1:8080/hook",
                "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/", "http://192.168.0.1/",
                "http://172.16.5.5/", "http://[::1]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://0.0.0.0/",
                "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/", "http://nowhere.invalid/", "http://user:pw@8.8.8.8/",
                "not a url")) {
            A2AException e = assertThrows(A2AException.class, () -> strict.check(url), url);
            assertEquals(A2AError.INVALID_PARAMS, e.error());
        }
        assertDoesNotThrow(() -> strict.check("https://8.8.8.8/hook"));
    }

    @Test
    void loopbackOnlyWhenTheOperatorAllowsIt() {
        UrlPolicy open = new UrlPolicy(true, GuardsTest::literal);
        assertDoesNotThrow(() -> open.check("http://127.0.0.1:9999/hook"));
        assertThrows(A2AException.class, () -> open.check("file:///etc/passwd"));
    }

    @Test
    void apiKeysMapToClients() {
        ApiKeys keys = new ApiKeys(List.of("alice:alice-secret-1", "bare-secret-22"));
        assertEquals("alice", keys.authenticate("alice-secret-1").orElseThrow().clientId());
        assertEquals("key-2", keys.authenticate("bare-secret-22").orElseThrow().clientId());
        assertTrue(keys.authenticate("nope").isEmpty());
        assertTrue(keys.authenticate(null).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new ApiKeys(List.of("x:short")));
    }

    @Test
    void rateLimiterRefusesBeyondBurstAndRefills() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimiter limiter = new RateLimiter(2, 3, now::get);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("a"));
        assertEquals(1, limiter.acquire("a"), "burst spent: wait a second");
        assertEquals(0, limiter.acquire("b"), "buckets are per client");
        now.addAndGet(500_000_000L);
        assertEquals(0, limiter.acquire("a"), "half a second refills one token at 2/s");
        assertEquals(0, new RateLimiter(0, 1, now::get).acquire("x"), "0 disables the limit");
    }
}
