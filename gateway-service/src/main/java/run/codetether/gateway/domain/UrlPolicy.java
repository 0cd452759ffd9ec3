package run.codetether.gateway.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which webhook URLs the gateway will call (SSRF guard). Only http and https; the host must resolve, and unless the
 * operator allows private targets, to no loopback, private (RFC 1918 / ULA), link-local (incl. cloud metadata
 * 169.254.169.254), CGNAT, multicast or unspecified address. Checked when a config is created and again before
 * every delivery (DNS may change in between).
 */
public final class UrlPolicy {
    private final boolean allowPrivate;
    private final Function<String, InetAddress[]> resolver;

    public UrlPolicy(boolean allowPrivate) {
        this(allowPrivate, host -> {
            try {
                return InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                return new InetAddress[0];
            }
        });
    }

    public UrlPolicy(boolean allowPrivate, Function<String, InetAddress[]> resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** @throws A2AException invalid params naming the reason when the URL is refused */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw A2AException.invalidParams("push notification url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw A2AException.invalidParams("push notification url must be http or https, not '" + scheme + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw A2AException.invalidParams("push notification url must not carry user info");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw A2AException.invalidParams("push notification url needs a host");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.apply(bare);
        if (addresses.length == 0) {
            throw A2AException.invalidParams("push notification host " + host + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (isPrivate(a)) {
                    throw A2AException.invalidParams("push notification url " + host
                            + " points to a loopback, private or link-local address, which this gateway refuses");
                }
            }
        }
        return uri;
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // CGNAT 100.64/10
                    || first >= 240; // reserved and broadcast
        }
        // IPv6 unique local fc00::/7, and IPv4-mapped addresses judged by their IPv4 part
        if ((b[0] & 0xfe) == 0xfc) {
            return true;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            try {
                return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }
}
