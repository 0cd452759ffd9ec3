package run.codetether.tools.domain.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The one check every outbound connection of a session passes (git fetch/push, the sandbox's egress proxy): the
 * destination must be on the allowlist, its name is resolved HERE once, and every resolved address must be public
 * (not loopback, private, link-local incl. cloud metadata, CGNAT, ULA, multicast, reserved) unless the allowlist
 * names that exact IP and port, or loopback is allowed wholesale (the local profile for git). The caller connects to
 * the returned addresses only, never resolving the name again, so DNS rebinding cannot move it inside.
 */
public final class HostGate {

    /** Why a destination was refused; the stable word goes into logs, metrics and records. */
    public enum Reason {
        NOT_ALLOWED("not-allowed"), UNRESOLVED("unresolved"), INTERNAL_ADDRESS("internal-address"),
        BAD_REQUEST("bad-request");

        private final String word;

        Reason(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** The outcome of one check. */
    public sealed interface Decision permits Allowed, Refused {}

    /** Connect to these addresses (in order), nothing else. */
    public record Allowed(String host, int port, List<InetAddress> addresses) implements Decision {}

    /** Refused before any connection; {@code message} says what to change. */
    public record Refused(String host, int port, Reason reason, String message) implements Decision {}

    private final HostAllowlist allowlist;
    private final boolean allowLoopback;
    private final EgressPolicy.Resolver resolver;
    private final String allowlistKey;

    /**
     * @param allowlistKey the setting an operator changes to allow more (named in refusals)
     */
    public HostGate(HostAllowlist allowlist, boolean allowLoopback, EgressPolicy.Resolver resolver, String allowlistKey) {
        this.allowlist = allowlist;
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
        this.allowlistKey = allowlistKey;
    }

    public HostAllowlist allowlist() {
        return allowlist;
    }

    public Decision check(String rawHost, int port) {
        if (rawHost == null || rawHost.isBlank() || port < 1 || port > 65535) {
            return new Refused(String.valueOf(rawHost), port, Reason.BAD_REQUEST, "no valid host and port");
        }
        String host = HostAllowlist.normalize(rawHost);
        boolean loopbackName = allowLoopback && (host.equals("localhost") || isLoopbackLiteral(host));
        if (!loopbackName && !allowlist.allows(host, port)) {
            return new Refused(host, port, Reason.NOT_ALLOWED, display(host, port) + " is not on the allowlist ("
                    + allowlistKey + (allowlist.isEmpty() ? " is empty" : "") + ")");
        }
        InetAddress[] addresses;
        try {
            // a literal is parsed, never looked up; a name goes to the resolver (tests plug one in)
            addresses = IpLiterals.isLiteral(host) ? new InetAddress[] {InetAddress.getByName(host)}
                    : resolver.resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            return new Refused(host, port, Reason.UNRESOLVED, "host '" + host + "' does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return new Refused(host, port, Reason.UNRESOLVED, "host '" + host + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            String why = EgressPolicy.internal(a);
            boolean excepted = (allowLoopback && a.isLoopbackAddress()) || allowlist.namesExactly(a, port);
            if (why != null && !excepted) {
                return new Refused(host, port, Reason.INTERNAL_ADDRESS, display(host, port) + " resolves to "
                        + a.getHostAddress() + " (" + why + "); internal addresses are refused unless the allowlist"
                        + " names that exact address and port (" + display(a.getHostAddress(), port) + ")");
            }
        }
        return new Allowed(host, port, List.of(addresses));
    }

    private static boolean isLoopbackLiteral(String host) {
        return (host.startsWith("127.") && IpLiterals.isLiteral(host)) || host.equals("::1");
    }

    public static String display(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
