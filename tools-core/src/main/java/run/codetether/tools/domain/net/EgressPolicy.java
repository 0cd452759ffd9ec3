package run.codetether.tools.domain.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;

/**
 * Decides, before any connection, whether a URL may be fetched: egress must be enabled, the scheme http(s), the
 * host on the allowlist, and every address the host resolves to public. Loopback, private (RFC 1918, ULA),
 * link-local (incl. cloud metadata 169.254.169.254), CGNAT, multicast, unspecified and IPv4-mapped forms of them are
 * refused even when the name is allow-listed, so a DNS name pointing inward cannot be used for SSRF.
 */
public final class EgressPolicy {

    /** Resolves a host name to its addresses (a port so tests never need DNS). */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean enabled;
    private final List<String> allowlist;
    private final Resolver resolver;

    public EgressPolicy(boolean enabled, List<String> allowlist, Resolver resolver) {
        this.enabled = enabled;
        this.allowlist = allowlist.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .toList();
        this.resolver = resolver;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The checked addresses of the URL's host; throws EGRESS_REFUSED (or DISABLED) with the reason. */
    public InetAddress[] check(URI uri) {
        if (!enabled) {
            throw new ToolException(Code.DISABLED, "web access is off on this tools-service (an operator can enable"
                    + " it with codetether.tools.web.enabled=true and an allowlist)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("only http and https URLs may be fetched, not '" + scheme + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("URLs with user info (user:password@) are not fetched");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw refused("the URL has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!allowed(host)) {
            throw refused("host '" + host + "' is not on the egress allowlist");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw refused("host '" + host + "' does not resolve");
        }
        if (addresses.length == 0) {
            throw refused("host '" + host + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            String why = internal(a);
            if (why != null) {
                throw refused("host '" + host + "' resolves to " + a.getHostAddress() + " (" + why
                        + "); internal addresses are never fetched");
            }
        }
        return addresses;
    }

    private boolean allowed(String host) {
        for (String entry : allowlist) {
            if (entry.startsWith("*.") ? host.endsWith(entry.substring(1)) : host.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /** Why an address is internal, or null when it is public. */
    public static String internal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xFF;
            int b1 = b[1] & 0xFF;
            if (b0 == 0) {
                return "this-network";
            }
            if (b0 == 100 && b1 >= 64 && b1 <= 127) {
                return "carrier-grade NAT";
            }
            if (b0 == 198 && (b1 == 18 || b1 == 19)) {
                return "benchmarking";
            }
            if (b0 >= 240) {
                return "reserved";
            }
            if (b0 == 192 && b1 == 0 && (b[2] & 0xFF) == 0) {
                return "IETF protocol assignments";
            }
        } else if (a instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) {
                return "unique-local";
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return "unparseable";
                }
            }
        }
        return null;
    }

    private static ToolException refused(String why) {
        return new ToolException(Code.EGRESS_REFUSED, "refused by egress policy: " + why);
    }
}
