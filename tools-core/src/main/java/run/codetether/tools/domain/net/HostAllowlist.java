package run.codetether.tools.domain.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An allowlist of destinations: {@code host} (any port), {@code host:port}, {@code *.suffix} (any name below the
 * suffix, not the suffix itself), {@code *.suffix:port}, IP literals with or without a port ({@code 10.0.0.5:8080},
 * {@code [::1]:8080}). Names are compared case-insensitively. Immutable; a bad entry is refused at construction with
 * the entry in the message, so a typo in the configuration stops the service instead of silently allowing less.
 */
public final class HostAllowlist {

    private static final Pattern NAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*\\.?");

    /** One parsed entry; port 0 = any port. */
    public record Entry(String host, int port, boolean wildcard, boolean ipLiteral) {

        boolean matches(String name, int p) {
            if (port != 0 && port != p) {
                return false;
            }
            return wildcard ? name.endsWith(host) && name.length() > host.length() : name.equals(host);
        }
    }

    private final List<Entry> entries;

    private HostAllowlist(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static HostAllowlist of(Collection<String> raw) {
        List<Entry> out = new ArrayList<>();
        for (String r : raw) {
            String s = r == null ? "" : r.strip().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) {
                out.add(parse(s));
            }
        }
        return new HostAllowlist(out);
    }

    public static HostAllowlist none() {
        return new HostAllowlist(List.of());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Whether the (lower-case, bracket-free) host name or literal on that port is listed. */
    public boolean allows(String host, int port) {
        String h = normalize(host);
        for (Entry e : entries) {
            if (e.matches(h, port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the list names exactly this address and this port as an IP literal: the only way an internal
     * (loopback, private, link-local) destination is ever allowed.
     */
    public boolean namesExactly(InetAddress address, int port) {
        for (Entry e : entries) {
            if (e.ipLiteral() && e.port() == port && e.port() != 0) {
                try {
                    if (InetAddress.getByName(e.host()).equals(address)) {
                        return true;
                    }
                } catch (java.net.UnknownHostException ex) {
                    // cannot happen for a literal checked at construction
                }
            }
        }
        return false;
    }

    /** Lower case, without IPv6 brackets or a trailing dot. */
    public static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    static Entry parse(String s) {
        String host = s;
        int port = 0;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad(s, "unclosed '['");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(s, "expected ':port' after ']'");
                }
                port = port(s, rest.substring(1));
            }
            if (!IpLiterals.isLiteral(host) || !host.contains(":")) {
                throw bad(s, "not an IPv6 address in brackets");
            }
            return new Entry(normalize(host), port, false, true);
        }
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') != colon) {
            // a bare IPv6 literal without brackets: no port
            if (!IpLiterals.isLiteral(s)) {
                throw bad(s, "write IPv6 addresses as [addr] or [addr]:port");
            }
            return new Entry(normalize(s), 0, false, true);
        }
        if (colon >= 0) {
            host = s.substring(0, colon);
            String p = s.substring(colon + 1);
            port = p.equals("*") ? 0 : port(s, p);
        }
        if (IpLiterals.isLiteral(host)) {
            return new Entry(normalize(host), port, false, true);
        }
        if (!NAME.matcher(host).matches()) {
            throw bad(s, "not a host name, *.suffix or IP address");
        }
        boolean wildcard = host.startsWith("*.");
        return new Entry(normalize(wildcard ? host.substring(1) : host), port, wildcard, false);
    }

    private static int port(String entry, String p) {
        try {
            int v = Integer.parseInt(p);
            if (v < 1 || v > 65535) {
                throw bad(entry, "port out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(entry, "port is not a number");
        }
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("bad allowlist entry '" + entry + "': " + why);
    }

    @Override
    public String toString() {
        return entries.stream().map(e -> (e.wildcard() ? "*" : "") + (e.host().contains(":") ? "[" + e.host() + "]"
                : e.host()) + (e.port() == 0 ? "" : ":" + e.port())).toList().toString();
    }
}
