package run.codetether.agent.domain.mcp;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import run.codetether.agent.domain.dispatch.ToolSourceException;
import run.codetether.contracts.a2a.McpServerEntry;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Which MCP servers a task gets: the operator's servers whose tenant filter matches the task's tenant, plus the
 * servers the client names in {@code metadata.mcp_servers} when the tenant may do so. Per-task servers never read a
 * secret, may not reuse a configured server's name, and reach only hosts within the per-task ceiling (a stdio
 * server's {@code allowed_hosts} and an HTTP server's url). A task without a tenant is tenant {@value #DEFAULT_TENANT}.
 */
public final class McpServerPolicy {

    public static final String DEFAULT_TENANT = "default";

    /** A configured server and the tenants that get it (empty or "*": every tenant). */
    public record TenantServer(McpServerSpec spec, Set<String> tenants) {
        public TenantServer {
            tenants = Set.copyOf(tenants);
        }

        boolean serves(String tenant) {
            return tenants.isEmpty() || tenants.contains("*") || tenants.contains(tenant);
        }
    }

    /**
     * Per-task servers: the tenants that may name them ("*": every tenant) and the hosts they may reach at most
     * ({@code host}, {@code host:port}, {@code *.suffix}); an empty ceiling leaves them no network and no url.
     */
    public record TaskServers(Set<String> tenants, List<String> allowedHosts) {
        public TaskServers {
            tenants = Set.copyOf(tenants);
            allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                    .toList();
        }

        boolean allows(String tenant) {
            return tenants.contains("*") || tenants.contains(tenant);
        }

        public static final TaskServers NONE = new TaskServers(Set.of(), List.of());
    }

    public static final McpServerPolicy NONE = new McpServerPolicy(List.of(), TaskServers.NONE);

    private final List<TenantServer> servers;
    private final TaskServers task;

    public McpServerPolicy(List<TenantServer> servers, TaskServers task) {
        this.servers = List.copyOf(servers);
        this.task = task;
    }

    /** The operator's configured servers with their tenants, in configuration order. */
    public List<TenantServer> configured() {
        return servers;
    }

    /** False when no server is configured and no tenant may name any: the source then costs nothing. */
    public boolean any() {
        return !servers.isEmpty() || !task.tenants().isEmpty();
    }

    /**
     * The task's servers, configured ones first.
     *
     * @param taskServers the task's {@code mcp_servers} metadata value, or null
     * @throws ToolSourceException when the task names servers it may not (the message says what to change)
     */
    public List<McpServerSpec> serversFor(String tenant, Object taskServers) {
        String t = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
        List<McpServerSpec> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (TenantServer s : servers) {
            if (s.serves(t)) {
                out.add(s.spec());
                names.add(s.spec().name());
            }
        }
        List<McpServerEntry> entries;
        try {
            entries = McpServerEntry.parse(taskServers);
        } catch (IllegalArgumentException e) {
            throw new ToolSourceException("metadata." + MetadataKeys.MCP_SERVERS + ": " + e.getMessage());
        }
        if (entries.isEmpty()) {
            return out;
        }
        if (!task.allows(t)) {
            throw new ToolSourceException("tenant '" + t + "' may not name MCP servers per task (metadata."
                    + MetadataKeys.MCP_SERVERS + "); an operator allows it with codetether.agent.mcp.task-servers.tenants,"
                    + " or configures the servers with codetether.agent.mcp.servers.<name>.*");
        }
        for (McpServerEntry e : entries) {
            if (!names.add(e.name())) {
                throw new ToolSourceException("metadata." + MetadataKeys.MCP_SERVERS + ": '" + e.name() + "' is the name"
                        + " of a configured MCP server; choose another name");
            }
            checkHosts(e);
            out.add(McpServerSpec.of(e));
        }
        return out;
    }

    private void checkHosts(McpServerEntry e) {
        String where = "metadata." + MetadataKeys.MCP_SERVERS + "." + e.name();
        for (String h : e.allowedHosts()) {
            if (!withinCeiling(h.strip().toLowerCase(Locale.ROOT))) {
                throw new ToolSourceException(where + ".allowed_hosts: '" + h + "' is beyond what per-task servers may"
                        + " reach (codetether.agent.mcp.task-servers.allowed-hosts: " + ceiling() + ")");
            }
        }
        if (!e.stdio()) {
            URI u;
            try {
                u = URI.create(e.url().strip());
            } catch (IllegalArgumentException ex) {
                throw new ToolSourceException(where + ".url is not a URI: " + ex.getMessage());
            }
            if (u.getHost() == null) {
                throw new ToolSourceException(where + ".url needs a host: " + e.url());
            }
            int port = u.getPort() > 0 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
            String hostPort = u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
            if (!withinCeiling(hostPort)) {
                throw new ToolSourceException(where + ".url: " + hostPort + " is beyond what per-task servers may reach"
                        + " (codetether.agent.mcp.task-servers.allowed-hosts: " + ceiling() + ")");
            }
        }
    }

    private String ceiling() {
        return task.allowedHosts().isEmpty() ? "empty" : String.join(",", task.allowedHosts());
    }

    /** Whether {@code entry} ({@code host}, {@code host:port} or {@code *.suffix}) asks for no more than the ceiling. */
    boolean withinCeiling(String entry) {
        String host = hostOf(entry);
        String port = portOf(entry);
        for (String c : task.allowedHosts()) {
            String ch = hostOf(c);
            String cp = portOf(c);
            boolean portOk = cp == null || cp.equals(port);
            if (!portOk) {
                continue;
            }
            if (ch.equals(host)) {
                return true;
            }
            if (ch.startsWith("*.") && !host.startsWith("*.") && host.endsWith(ch.substring(1))) {
                return true;
            }
            if (ch.startsWith("*.") && host.startsWith("*.") && host.endsWith(ch.substring(1))) {
                return true; // a narrower wildcard
            }
        }
        return false;
    }

    private static String hostOf(String e) {
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            return close < 0 ? e : e.substring(0, close + 1);
        }
        int colon = e.lastIndexOf(':');
        return colon > 0 && e.indexOf(':') == colon ? e.substring(0, colon) : e;
    }

    private static String portOf(String e) {
        String host = hostOf(e);
        return e.length() > host.length() + 1 && e.charAt(host.length()) == ':' ? e.substring(host.length() + 1) : null;
    }
}
