package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.net.HttpFetcher;
import run.codetether.tools.domain.tool.WebFetchTool;

/** Redirect handling with a scripted fetcher and resolver: no name is looked up and nothing is contacted. */
class WebFetchToolTest {

    final List<URI> fetched = new ArrayList<>();

    WebFetchTool tool(HttpFetcher fetcher) {
        EgressPolicy policy = new EgressPolicy(true, List.of("public.example", "inward.example"),
                h -> new InetAddress[] {InetAddress.getByAddress(h.equals("public.example")
                        ? new byte[] {93, (byte) 184, (byte) 216, 34} : new byte[] {10, 0, 0, 1})});
        return new WebFetchTool(policy, fetcher, 1000, java.time.Duration.ofSeconds(1));
    }

    @Test
    void followsCheckedRedirectsAndConvertsHtml() {
        var t = tool((uri, addrs, max, timeout) -> {
            fetched.add(uri);
            if (uri.getPath().equals("/old")) {
                return new HttpFetcher.Response(301, "text/html", new byte[0], false, Optional.of("/new"));
            }
            byte[] body = "<html><head><title>t</title></head><body><p>Hello <a href=\"/x\">link</a></p></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            return new HttpFetcher.Response(200, "text/html", body, false, Optional.empty());
        });
        var r = t.fetch("https://public.example/old");
        assertEquals(URI.create("https://public.example/new"), r.uri());
        assertEquals(2, fetched.size());
    }

    @Test
    void aRedirectToAnInternalHostIsRefused() {
        var t = tool((uri, addrs, max, timeout) -> {
            fetched.add(uri);
            return new HttpFetcher.Response(302, "", new byte[0], false, Optional.of("http://inward.example/admin"));
        });
        var e = assertThrows(ToolException.class, () -> t.fetch("https://public.example/"));
        assertEquals(ToolException.Code.EGRESS_REFUSED, e.code());
        assertTrue(e.getMessage().contains("10.0.0.1"), e.getMessage());
        assertEquals(1, fetched.size(), "the internal hop was never requested");
    }

    @Test
    void eachHopIsResolvedOnceAndTheFetcherGetsExactlyTheCheckedAddresses() throws Exception {
        // A rebinding DNS: public on the first answer, loopback on every later one.
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        InetAddress pub = InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 216, 34});
        EgressPolicy policy = new EgressPolicy(true, List.of("rebind.example"), h -> new InetAddress[] {
                lookups.getAndIncrement() == 0 ? pub : InetAddress.getLoopbackAddress()});
        List<InetAddress[]> given = new ArrayList<>();
        var t = new WebFetchTool(policy, (uri, addrs, max, timeout) -> {
            given.add(addrs);
            return new HttpFetcher.Response(200, "text/plain", new byte[] {'o', 'k'}, false, Optional.empty());
        }, 1000, java.time.Duration.ofSeconds(1));
        assertEquals(200, t.fetch("http://rebind.example/").response().status());
        assertEquals(1, lookups.get(), "one resolution per hop; the fetcher must not resolve again");
        assertEquals(1, given.size());
        assertEquals(List.of(pub), List.of(given.get(0)));
        // the next fetch (or hop) resolves again and now meets the loopback answer: refused before any request
        var e = assertThrows(ToolException.class, () -> t.fetch("http://rebind.example/"));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertEquals(1, given.size());
    }
}
