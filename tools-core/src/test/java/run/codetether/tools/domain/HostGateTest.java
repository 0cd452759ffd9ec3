package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.tools.domain.net.EgressPresets;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.domain.net.HostGate.Reason;

/** Allowlist syntax and the gate's decisions (names from a table; no DNS, no connection). */
class HostGateTest {

    static final Map<String, String> NAMES = Map.of("repo.example.invalid", "93.184.216.34", "inside.example.invalid",
            "10.0.0.8", "v6.example.invalid", "fd00::1", "meta.example.invalid", "169.254.169.254",
            "mapped.example.invalid", "::ffff:127.0.0.1", "cgnat.example.invalid", "100.100.100.200");

    final List<String> lookups = new ArrayList<>();

    HostGate gate(String... entries) {
        return new HostGate(HostAllowlist.of(List.of(entries)), false, host -> {
            lookups.add(host);
            String ip = NAMES.get(host);
            if (ip == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(ip)};
        }, "KEY");
    }

    @Test
    void entriesMatchNamesPortsAndWildcards() {
        HostAllowlist a = HostAllowlist.of(List.of("Repo.Example.invalid", "*.npm.invalid:443", "git.invalid:*",
                "10.1.2.3:8080", "[::1]:9000"));
        assertTrue(a.allows("repo.example.invalid", 1));
        assertTrue(a.allows("REPO.example.invalid.", 443));
        assertTrue(a.allows("registry.npm.invalid", 443));
        assertFalse(a.allows("npm.invalid", 443), "*.suffix does not match the suffix itself");
        assertFalse(a.allows("registry.npm.invalid", 80));
        assertFalse(a.allows("evilnpm.invalid", 443));
        assertTrue(a.allows("git.invalid", 22));
        assertTrue(a.allows("10.1.2.3", 8080));
        assertTrue(a.allows("[::1]", 9000));
        for (String bad : List.of("host:0", "host:99999", "host:x", "a b", "[::1", "*", "http://x")) {
            assertThrows(IllegalArgumentException.class, () -> HostAllowlist.of(List.of(bad)), bad);
        }
    }

    @Test
    void internalAddressesAreRefusedAfterResolutionUnlessExactlyListed() {
        HostGate g = gate("*.example.invalid", "10.0.0.8:5000", "169.254.169.254");
        assertInstanceOf(HostGate.Allowed.class, g.check("repo.example.invalid", 443));
        for (String host : List.of("inside.example.invalid", "v6.example.invalid", "meta.example.invalid",
                "mapped.example.invalid", "cgnat.example.invalid")) {
            var d = assertInstanceOf(HostGate.Refused.class, g.check(host, 443), host);
            assertEquals(Reason.INTERNAL_ADDRESS, d.reason(), host);
        }
        assertInstanceOf(HostGate.Allowed.class, g.check("inside.example.invalid", 5000), "exact IP and port listed");
        var meta = assertInstanceOf(HostGate.Refused.class, g.check("169.254.169.254", 80));
        assertEquals(Reason.INTERNAL_ADDRESS, meta.reason(), "a bare IP entry is not an exception for internal ranges");
        assertEquals(Reason.NOT_ALLOWED, ((HostGate.Refused) g.check("other.invalid", 443)).reason());
        assertFalse(lookups.contains("other.invalid"), "a name not on the list is never looked up");
        assertEquals(Reason.UNRESOLVED, ((HostGate.Refused) g.check("missing.example.invalid", 443)).reason());
        assertEquals(Reason.BAD_REQUEST, ((HostGate.Refused) g.check("", 443)).reason());
    }

    @Test
    void loopbackWholesaleOnlyWhenAllowed() {
        HostGate local = new HostGate(HostAllowlist.none(), true, h -> {
            throw new UnknownHostException(h);
        }, "KEY");
        assertInstanceOf(HostGate.Allowed.class, local.check("127.0.0.1", 9418));
        assertInstanceOf(HostGate.Allowed.class, local.check("::1", 9418));
        assertInstanceOf(HostGate.Refused.class, local.check("10.0.0.1", 9418));
    }

    @Test
    void presetsExpandAndUnknownNamesFail() {
        List<String> hosts = EgressPresets.expand(List.of("package-registries", "git-hosts"));
        HostAllowlist a = HostAllowlist.of(hosts);
        assertTrue(a.allows("repo.maven.apache.org", 443));
        assertTrue(a.allows("registry.npmjs.org", 443));
        assertTrue(a.allows("files.pythonhosted.org", 443));
        assertTrue(a.allows("github.com", 443));
        assertFalse(a.allows("registry.npmjs.org", 80), "https only");
        var e = assertThrows(IllegalArgumentException.class, () -> EgressPresets.expand(List.of("everything")));
        assertTrue(e.getMessage().contains("package-registries"));
    }
}
