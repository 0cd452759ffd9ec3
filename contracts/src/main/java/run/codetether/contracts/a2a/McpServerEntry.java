package run.codetether.contracts.a2a;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One per-task MCP server as a client names it in {@code message.metadata.mcp_servers} (the shape MCP clients use:
 * an object keyed by server name):
 * <pre>
 * "mcp_servers": {
 *   "files": {"command": "npx", "args": ["-y", "some-mcp-server"], "env": {"MODE": "ro"},
 *             "allowed_hosts": ["registry.npmjs.org"]},
 *   "search": {"url": "https://mcp.example.com/mcp", "headers": {"X-Team": "a"}}
 * }
 * </pre>
 * Exactly one of {@code command} (stdio, run in the task's sandbox) and {@code url} (streamable HTTP). A per-task
 * server never reads a stored secret (that would hand a tenant's credentials to whatever the client names); values in
 * metadata are stored with the task, so they must not be secrets either.
 */
public record McpServerEntry(String name, String command, List<String> args, Map<String, String> env,
        List<String> allowedHosts, String url, Map<String, String> headers) {

    public static final String COMMAND = "command";
    public static final String ARGS = "args";
    public static final String ENV = "env";
    public static final String ALLOWED_HOSTS = "allowed_hosts";
    public static final String URL = "url";
    public static final String HEADERS = "headers";

    /** What the model sees as {@code mcp__<name>__<tool>}: lower-case letters, digits, '_' and '-', at most 32. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public McpServerEntry {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("MCP server name '" + name + "' must be 1-32 characters of [a-z0-9_-],"
                    + " starting with a letter or digit");
        }
        boolean stdio = command != null && !command.isBlank();
        boolean http = url != null && !url.isBlank();
        if (stdio == http) {
            throw new IllegalArgumentException("MCP server '" + name + "' needs exactly one of '" + COMMAND + "' (stdio)"
                    + " and '" + URL + "' (streamable HTTP)");
        }
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (http && (!args.isEmpty() || !env.isEmpty() || !allowedHosts.isEmpty())) {
            throw new IllegalArgumentException("MCP server '" + name + "': args, env and allowed_hosts belong to a stdio"
                    + " server (command), not to a url");
        }
        if (stdio && !headers.isEmpty()) {
            throw new IllegalArgumentException("MCP server '" + name + "': headers belong to a url server");
        }
    }

    public boolean stdio() {
        return command != null && !command.isBlank();
    }

    /**
     * The servers of a {@code mcp_servers} metadata value (an object keyed by name), in its order.
     *
     * @throws IllegalArgumentException naming the offending server and field
     */
    public static List<McpServerEntry> parse(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Map<?, ?> servers)) {
            throw new IllegalArgumentException(MetadataKeys.MCP_SERVERS + " must be an object keyed by server name");
        }
        List<McpServerEntry> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : servers.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> s)) {
                throw new IllegalArgumentException(MetadataKeys.MCP_SERVERS + "." + name + " must be an object");
            }
            for (Object k : s.keySet()) {
                if (!List.of(COMMAND, ARGS, ENV, ALLOWED_HOSTS, URL, HEADERS).contains(String.valueOf(k))) {
                    throw new IllegalArgumentException(MetadataKeys.MCP_SERVERS + "." + name + ": unknown field '" + k
                            + "' (known: command, args, env, allowed_hosts, url, headers)");
                }
            }
            out.add(new McpServerEntry(name, text(s, name, COMMAND), texts(s, name, ARGS), textMap(s, name, ENV),
                    texts(s, name, ALLOWED_HOSTS), text(s, name, URL), textMap(s, name, HEADERS)));
        }
        return out;
    }

    /** The entries as a metadata value again (the same shape {@link #parse} reads). */
    public static Map<String, Object> toMetadata(List<McpServerEntry> entries) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (McpServerEntry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (e.stdio()) {
                m.put(COMMAND, e.command());
                m.put(ARGS, e.args());
                m.put(ENV, e.env());
                m.put(ALLOWED_HOSTS, e.allowedHosts());
            } else {
                m.put(URL, e.url());
                m.put(HEADERS, e.headers());
            }
            out.put(e.name(), m);
        }
        return out;
    }

    private static String text(Map<?, ?> s, String name, String key) {
        Object v = s.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String t)) {
            throw new IllegalArgumentException(MetadataKeys.MCP_SERVERS + "." + name + "." + key + " must be a string");
        }
        return t;
    }

    private static List<String> texts(Map<?, ?> s, String name, String key) {
        Object v = s.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof String))) {
            throw new IllegalArgumentException(MetadataKeys.MCP_SERVERS + "." + name + "." + key
                    + " must be an array of strings");
        }
        return l.stream().map(String.class::cast).toList();
    }

    private static Map<String, String> textMap(Map<?, ?> s, String name, String key) {
        Object v = s.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m) || m.values().stream().anyMatch(x -> !(x instanceof String))) {
            throw new IllegalArgumentException(MetadataKeys.MCP_SERVERS + "." + name + "." + key
                    + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), (String) x));
        return out;
    }
}
