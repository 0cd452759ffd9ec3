package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.tools.domain.net.EgressPolicy;

/** Pure policy checks: addresses come from a map, so no name is ever looked up and nothing is contacted. */
class EgressPolicyTest {

    static InetAddress ip(String s) throws java.net.UnknownHostException {
        return InetAddress.getByAddress(InetAddress.getByName(s).getAddress());
    }

    @Test
    void disabledByDefaultRefusesEverything() {
        var p = new EgressPolicy(false, List.of("docs.example"), h -> new InetAddress[0]);
        assertEquals(ToolException.Code.DISABLED,
                assertThrows(ToolException.class, () -> p.check(URI.create("https://docs.example/"))).code());
    }

    @Test
    void internalAddressesAreRefusedEvenForAllowListedNames() throws Exception {
        Map<String, String> dns = Map.of("public.example", "93.184.216.34", "meta.example", "169.254.169.254",
                "ten.example", "10.1.2.3", "cgnat.example", "100.64.0.1", "v6.example", "fd00::1", "mapped.example",
                "::ffff:127.0.0.1", "zero.example", "0.0.0.0");
        var p = new EgressPolicy(true, List.of("*.example"), h -> new InetAddress[] {ip(dns.get(h))});
        assertEquals(1, p.check(URI.create("https://public.example/x")).length);
        for (String host : List.of("meta", "ten", "cgnat", "v6", "mapped", "zero")) {
            var e = assertThrows(ToolException.class, () -> p.check(URI.create("http://" + host + ".example/")));
            assertEquals(ToolException.Code.EGRESS_REFUSED, e.code(), host);
            assertTrue(e.getMessage().contains("internal addresses are never fetched"), e.getMessage());
        }
    }

    @Test
    void classifiesAddresses() throws Exception {
        assertEquals("loopback", EgressPolicy.internal(ip("127.0.0.1")));
        assertEquals("link-local", EgressPolicy.internal(ip("169.254.169.254")));
        assertEquals("private", EgressPolicy.internal(ip("192.168.1.1")));
        assertEquals("unique-local", EgressPolicy.internal(ip("fc00::1")));
        assertNull(EgressPolicy.internal(ip("8.8.8.8")));
    }
}
