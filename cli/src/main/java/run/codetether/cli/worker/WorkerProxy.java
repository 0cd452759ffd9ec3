package run.codetether.cli.worker;

import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.ProxyDetector;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP proxy a worker reaches its gateway through (corporate networks, CI runners): {@code --proxy}, else
 * {@code HTTPS_PROXY} for an https server and {@code HTTP_PROXY} for a plaintext one (either case), unless
 * {@code NO_PROXY} names the server's host. The gRPC stream then opens with an HTTP CONNECT to the proxy (Basic
 * credentials from the URL's user info), which is all the worker needs: it only ever connects out.
 *
 * @param host the proxy's host
 * @param port the proxy's port (default 3128 as squid's, when the URL has none)
 */
public record WorkerProxy(String host, int port, String username, String password) {

    /**
     * The proxy for {@code server}, if one applies.
     *
     * @throws IllegalArgumentException for a proxy URL that is not {@code http://[user:pass@]host[:port]}
     */
    public static Optional<WorkerProxy> resolve(String flag, Map<String, String> env, URI server) {
        String raw = flag;
        if (raw == null || raw.isBlank()) {
            if (noProxy(env(env, "NO_PROXY"), server.getHost())) {
                return Optional.empty();
            }
            raw = env(env, "https".equals(server.getScheme()) ? "HTTPS_PROXY" : "HTTP_PROXY");
        }
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(raw.contains("://") ? raw.strip() : "http://" + raw.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the proxy must be http://[user:password@]host:port, not '"
                    + redact(raw) + "'");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the proxy must be http://[user:password@]host:port (an HTTP CONNECT "
                    + "proxy), not '" + redact(raw) + "'");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        return Optional.of(new WorkerProxy(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 3128, user, password));
    }

    /** Whether {@code NO_PROXY} ({@code *}, host names, {@code .domain} suffixes, addresses; ports ignored) names host. */
    static boolean noProxy(String list, String host) {
        if (list == null || list.isBlank() || host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : list.split(",")) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*")) {
                return true;
            }
            if (!e.startsWith("[") && e.indexOf(':') == e.lastIndexOf(':') && e.contains(":")) {
                e = e.substring(0, e.indexOf(':')); // host:port: the port does not matter here
            }
            String domain = e.startsWith("*.") ? e.substring(2) : e.startsWith(".") ? e.substring(1) : e;
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    /** gRPC's hook: every connection of the channel goes through the proxy with CONNECT. */
    public ProxyDetector detector() {
        return target -> {
            if (!(target instanceof InetSocketAddress address)) {
                return null;
            }
            var b = HttpConnectProxiedSocketAddress.newBuilder().setTargetAddress(address)
                    .setProxyAddress(new InetSocketAddress(host, port));
            if (username != null) {
                b.setUsername(username).setPassword(password);
            }
            return b.build();
        };
    }

    /** host:port, never the credentials (for the worker's log). */
    @Override
    public String toString() {
        return host + ":" + port;
    }

    private static String env(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null ? v : env.get(name.toLowerCase(Locale.ROOT));
    }

    private static String redact(String raw) {
        return raw.replaceAll("//[^@/]*@", "//***@");
    }
}
