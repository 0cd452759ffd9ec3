package run.codetether.contracts.mcp;

import java.time.Instant;
import java.util.List;
import run.codetether.contracts.events.Required;

/**
 * The operator-configured MCP servers ({@code codetether.agent.mcp.servers.<name>.*}) and the tools each offers,
 * as an agent-service replica listed them through tools-service (ListMcpTools). Published on
 * {@link run.codetether.contracts.events.Topics#MCP_TOOLS} (compacted, one key: {@link #KEY}) at every agent start and
 * every refresh, so any gateway replica can answer {@code GET /v1/mcp/tools} without reaching an agent; the last
 * writer wins (every agent replica runs the same configuration). Per-task servers ({@code metadata.mcp_servers}) are
 * not in it: they exist only for their task.
 *
 * @param agent the agent-service instance that listed the servers
 * @param listedAt when the listing ended
 */
public record McpToolCatalog(String agent, Instant listedAt, List<Server> servers) {
    /** The one record key: the latest catalog replaces the previous one, a removed server disappears with it. */
    public static final String KEY = "configured";

    public McpToolCatalog {
        Required.text(agent, "agent");
        listedAt = listedAt == null ? Instant.now() : listedAt;
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    /** The servers a task of {@code tenant} gets (null or blank: the default tenant), in configuration order. */
    public List<Server> serversFor(String tenant) {
        String t = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
        return servers.stream().filter(s -> s.serves(t)).toList();
    }

    /** The tenant of a task that names none (as agent-service's MCP policy). */
    public static final String DEFAULT_TENANT = "default";

    /**
     * One configured server: its tools, or why it could not be listed ({@code ok=false}; {@code error} says why).
     *
     * @param tenants the tenants that get it; empty or {@code *}: every tenant
     * @param transport stdio | http
     */
    public record Server(String name, List<String> tenants, String transport, boolean ok, String error,
            List<Tool> tools) {
        public Server {
            Required.text(name, "name");
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
            tools = tools == null ? List.of() : List.copyOf(tools);
            error = error == null ? "" : error;
        }

        public boolean serves(String tenant) {
            return tenants.isEmpty() || tenants.contains("*") || tenants.contains(tenant);
        }
    }

    /**
     * One tool as the model sees it.
     *
     * @param name the model's name for it, {@code mcp__<server>__<tool>}
     * @param tool the tool's own name on its server
     * @param inputSchemaJson its JSON schema (the arguments object) as JSON
     * @param readOnlyHint the server's {@code readOnlyHint}, null when it gives none
     */
    public record Tool(String name, String tool, String title, String description, String inputSchemaJson,
            Boolean readOnlyHint) {
        public Tool {
            Required.text(name, "name");
            Required.text(tool, "tool");
            inputSchemaJson = inputSchemaJson == null || inputSchemaJson.isBlank() ? "{}" : inputSchemaJson;
        }
    }
}
