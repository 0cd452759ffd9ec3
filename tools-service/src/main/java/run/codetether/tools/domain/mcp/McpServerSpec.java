package run.codetether.tools.domain.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import run.codetether.tools.domain.ToolException;

/**
 * One MCP server as a caller names it: a name (the pool key within a session and the middle of the model's
 * {@code mcp__<server>__<tool>}), how to reach it, and the key of the secret whose fields fill its secret env or
 * headers. Validated on construction, so nothing malformed reaches a sandbox or a socket. Two specs are the same
 * server exactly when they are equal (a changed spec restarts the pooled server).
 */
public record McpServerSpec(String name, Transport transport, String secretKey) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    private static final Pattern SECRET_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}");

    /** How the server is reached. */
    public sealed interface Transport permits Stdio, Http {}

    /**
     * A command in the session's sandbox speaking MCP over stdio.
     *
     * @param argv the command and its arguments
     * @param env plain variables
     * @param secretEnv variables filled from the same-named fields of the server's secret
     * @param allowedHosts what the server's own egress proxy lets through; empty = no network
     */
    public record Stdio(List<String> argv, Map<String, String> env, List<String> secretEnv, List<String> allowedHosts)
            implements Transport {
        public Stdio {
            argv = List.copyOf(argv);
            env = Map.copyOf(new LinkedHashMap<>(env));
            secretEnv = List.copyOf(secretEnv);
            allowedHosts = List.copyOf(allowedHosts);
        }
    }

    /**
     * A streamable HTTP endpoint.
     *
     * @param headers plain request headers
     * @param secretHeaders headers filled from the same-named fields of the server's secret
     */
    public record Http(URI url, Map<String, String> headers, List<String> secretHeaders) implements Transport {
        public Http {
            headers = Map.copyOf(new LinkedHashMap<>(headers));
            secretHeaders = List.copyOf(secretHeaders);
        }

        public int port() {
            return url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        }
    }

    public McpServerSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ToolException.invalid("MCP server name '" + name + "' must be 1-32 characters of [a-z0-9_-], starting"
                    + " with a letter or digit");
        }
        if (transport == null) {
            throw ToolException.invalid("MCP server '" + name + "' needs a transport: stdio (command) or http (url)");
        }
        secretKey = secretKey == null || secretKey.isBlank() ? name : secretKey.strip();
        if (!SECRET_KEY.matcher(secretKey).matches() || secretKey.contains("..")) {
            throw ToolException.invalid("MCP server '" + name + "': secret key '" + secretKey + "' must be letters, digits"
                    + " and . _ : @ + - (no '/', no '..')");
        }
        switch (transport) {
            case Stdio s -> check(name, s);
            case Http h -> check(name, h);
        }
    }

    /** Parses and checks an HTTP server's URL: http or https, a host, no user info, no fragment. */
    public static URI parseUrl(String server, String url) {
        URI u;
        try {
            u = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw ToolException.invalid("MCP server '" + server + "': url is not a URI: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ToolException.invalid("MCP server '" + server + "': url must be http:// or https://, not '" + url + "'");
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            throw ToolException.invalid("MCP server '" + server + "': url has no host: '" + url + "'");
        }
        if (u.getRawUserInfo() != null) {
            throw ToolException.invalid("MCP server '" + server + "': credentials in the url are refused; put them in the"
                    + " server's secret (secret_headers)");
        }
        if (u.getRawFragment() != null) {
            throw ToolException.invalid("MCP server '" + server + "': url must not have a fragment");
        }
        return u;
    }

    private static void check(String name, Stdio s) {
        if (s.argv().isEmpty() || s.argv().get(0).isBlank()) {
            throw ToolException.invalid("MCP server '" + name + "': stdio needs a command");
        }
        for (String a : s.argv()) {
            if (a.indexOf('\0') >= 0) {
                throw ToolException.invalid("MCP server '" + name + "': command and args must not contain NUL");
            }
        }
        s.env().forEach((k, v) -> {
            if (!ENV.matcher(k).matches()) {
                throw ToolException.invalid("MCP server '" + name + "': env name '" + k + "' must match [A-Za-z_][A-Za-z0-9_]*");
            }
            if (v.indexOf('\0') >= 0) {
                throw ToolException.invalid("MCP server '" + name + "': env value of " + k + " must not contain NUL");
            }
        });
        try {
            run.codetether.tools.domain.net.HostAllowlist.of(s.allowedHosts());
        } catch (IllegalArgumentException e) {
            throw ToolException.invalid("MCP server '" + name + "': allowed_hosts: " + e.getMessage());
        }
        for (String k : s.secretEnv()) {
            if (!ENV.matcher(k).matches()) {
                throw ToolException.invalid("MCP server '" + name + "': secret_env name '" + k + "' must match"
                        + " [A-Za-z_][A-Za-z0-9_]*");
            }
        }
    }

    private static void check(String name, Http h) {
        parseUrl(name, h.url().toString());
        h.headers().forEach((k, v) -> checkHeader(name, k, v));
        for (String k : h.secretHeaders()) {
            checkHeader(name, k, "");
        }
    }

    private static void checkHeader(String server, String k, String v) {
        if (!HEADER.matcher(k).matches()) {
            throw ToolException.invalid("MCP server '" + server + "': '" + k + "' is not a valid header name");
        }
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
            throw ToolException.invalid("MCP server '" + server + "': header " + k + " must not contain CR, LF or NUL");
        }
        String lower = k.toLowerCase(Locale.ROOT);
        if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection")
                || lower.equals("transfer-encoding") || lower.equals("mcp-session-id")
                || lower.equals("mcp-protocol-version") || lower.equals("expect") || lower.equals("upgrade")) {
            throw ToolException.invalid("MCP server '" + server + "': header " + k + " is set by the transport");
        }
    }

    /** For messages: "stdio: node server.js" or "http: https://host/mcp" (no header or env values). */
    public String describe() {
        return switch (transport) {
            case Stdio s -> "stdio: " + String.join(" ", s.argv());
            case Http h -> "http: " + h.url();
        };
    }
}
