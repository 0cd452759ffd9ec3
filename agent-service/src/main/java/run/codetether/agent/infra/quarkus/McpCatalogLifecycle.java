package run.codetether.agent.infra.quarkus;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.agent.config.AgentConfig;
import run.codetether.agent.domain.mcp.McpToolCatalogs;
import run.codetether.agent.infra.kafka.McpToolCatalogPublisher;
import run.codetether.agent.infra.tools.GrpcMcpTools;

/** Publishes the configured MCP servers' tools for the gateways from start to shutdown (docs/mcp.md). */
@ApplicationScoped
public class McpCatalogLifecycle {
    @Inject
    AgentConfig config;

    @Inject
    GrpcMcpTools tools;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private volatile McpToolCatalogPublisher publisher;

    void start(@Observes StartupEvent ev) {
        McpToolCatalogs catalogs = new McpToolCatalogs(McpPolicies.from(config.mcp()), tools, config.mcp().listTimeout(),
                Clock.systemUTC());
        publisher = new McpToolCatalogPublisher(bootstrap, catalogs, config.instanceId(), config.mcp().catalogRefresh());
        publisher.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        McpToolCatalogPublisher p = publisher;
        if (p != null) {
            p.close();
        }
    }
}
