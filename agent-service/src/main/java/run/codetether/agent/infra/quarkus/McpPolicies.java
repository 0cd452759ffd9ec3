package run.codetether.agent.infra.quarkus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import run.codetether.agent.config.AgentConfig;
import run.codetether.agent.domain.mcp.McpServerPolicy;
import run.codetether.agent.domain.mcp.McpServerSpec;

/** The MCP server policy from {@code codetether.agent.mcp.*}; a malformed server stops the boot with its name. */
final class McpPolicies {

    private static final Logger LOG = Logger.getLogger(McpPolicies.class);

    private McpPolicies() {}

    static McpServerPolicy from(AgentConfig.Mcp cfg) {
        List<McpServerPolicy.TenantServer> servers = new ArrayList<>();
        for (Map.Entry<String, AgentConfig.Mcp.Server> e : cfg.servers().entrySet()) {
            AgentConfig.Mcp.Server s = e.getValue();
            if (!s.enabled()) {
                continue;
            }
            List<String> argv = new ArrayList<>();
            s.command().filter(c -> !c.isBlank()).ifPresent(c -> {
                argv.add(c);
                argv.addAll(s.args().orElse(List.of()));
            });
            McpServerSpec spec;
            try {
                spec = new McpServerSpec(e.getKey(), argv, s.env(), s.secretEnv().orElse(List.of()),
                        s.allowedHosts().orElse(List.of()), s.url().orElse(null), s.headers(),
                        s.secretHeaders().orElse(List.of()), s.secret().orElse(null), false);
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException("codetether.agent.mcp.servers." + e.getKey() + ": " + ex.getMessage(), ex);
            }
            servers.add(new McpServerPolicy.TenantServer(spec, new HashSet<>(s.tenants().orElse(List.of()))));
        }
        var task = new McpServerPolicy.TaskServers(new HashSet<>(cfg.taskServers().tenants().orElse(List.of())),
                cfg.taskServers().allowedHosts().orElse(List.of()));
        if (!servers.isEmpty() || !task.tenants().isEmpty()) {
            LOG.infof("MCP servers: %s; per-task servers for tenants %s (reach at most %s)",
                    servers.stream().map(t -> t.spec().name() + (t.tenants().isEmpty() ? "" : " " + t.tenants())).toList(),
                    task.tenants(), task.allowedHosts());
        }
        return new McpServerPolicy(servers, task);
    }
}
