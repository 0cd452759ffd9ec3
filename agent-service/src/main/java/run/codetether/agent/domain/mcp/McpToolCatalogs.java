package run.codetether.agent.domain.mcp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import run.codetether.agent.domain.port.McpTools;
import run.codetether.contracts.mcp.McpToolCatalog;

/**
 * Lists the operator's configured MCP servers (every tenant's) in one ListMcpTools call and turns the answer into the
 * {@link McpToolCatalog} the gateway shows: tools under the names the model sees ({@link McpToolNames}), a server
 * that failed with its error, a failure of tools-service itself as every server's error (never an empty success).
 */
public final class McpToolCatalogs {
    private final McpServerPolicy policy;
    private final McpTools tools;
    private final Duration timeout;
    private final Clock clock;

    public McpToolCatalogs(McpServerPolicy policy, McpTools tools, Duration timeout, Clock clock) {
        this.policy = policy;
        this.tools = tools;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * @param sessionId the tools-service session the stdio servers run in (their pool; reused by each refresh)
     * @param agent this instance's name
     */
    public McpToolCatalog list(String sessionId, String agent) throws InterruptedException {
        List<McpServerPolicy.TenantServer> configured = policy.configured();
        if (configured.isEmpty()) {
            return new McpToolCatalog(agent, clock.instant(), List.of());
        }
        List<McpServerSpec> specs = configured.stream().map(McpServerPolicy.TenantServer::spec).toList();
        McpTools.Listing listing;
        try {
            listing = tools.list(sessionId, specs, timeout);
        } catch (RuntimeException e) {
            String why = "tools-service could not list the MCP servers: " + e.getMessage();
            listing = new McpTools.Listing(List.of(), specs.stream()
                    .map(s -> new McpTools.ServerStatus(s.name(), false, why)).toList());
        }
        Map<String, McpTools.ServerStatus> status = new LinkedHashMap<>();
        listing.servers().forEach(s -> status.put(s.server(), s));
        List<McpToolCatalog.Server> servers = new ArrayList<>();
        for (McpServerPolicy.TenantServer ts : configured) {
            String name = ts.spec().name();
            McpTools.ServerStatus s = status.get(name);
            boolean ok = s != null && s.ok();
            String error = s == null ? "tools-service did not report this server" : s.ok() ? "" : s.error();
            List<McpToolCatalog.Tool> offered = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (McpTools.Tool t : listing.tools()) {
                String model = McpToolNames.of(name, t.name());
                if (t.server().equals(name) && used.add(model)) {
                    offered.add(new McpToolCatalog.Tool(model, t.name(), t.title(), t.description(),
                            t.inputSchemaJson(), t.readOnlyHint()));
                }
            }
            servers.add(new McpToolCatalog.Server(name, List.copyOf(ts.tenants()), ts.spec().stdio() ? "stdio" : "http",
                    ok, error, ok ? offered : List.of()));
        }
        return new McpToolCatalog(agent, clock.instant(), servers);
    }
}
