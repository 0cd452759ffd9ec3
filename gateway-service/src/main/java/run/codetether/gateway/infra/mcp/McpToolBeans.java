package run.codetether.gateway.infra.mcp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.mcp.McpToolDirectory;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/** The MCP tool catalog this replica answers {@code GET /v1/mcp/tools} from, and its topic reader. */
@Singleton
public class McpToolBeans {
    private final McpToolDirectory directory = new McpToolDirectory();
    private final GatewayConfig gateway;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private volatile KafkaMcpToolCatalogReader reader;

    public McpToolBeans(GatewayConfig gateway, KafkaClients kafka, LoopHealth loops) {
        this.gateway = gateway;
        this.kafka = kafka;
        this.loops = loops;
    }

    void start(@Observes StartupEvent ev) {
        if (gateway.kafka().createTopics()) {
            TaskTopics.ensureOnce(kafka, gateway.kafka().partitions()); // this observer may run before GatewayBeans'
        }
        reader = new KafkaMcpToolCatalogReader(kafka, loops, gateway.instanceId(), directory);
        reader.start(gateway.kafka().catchUpTimeout());
    }

    void stop(@Observes ShutdownEvent ev) {
        KafkaMcpToolCatalogReader r = reader;
        if (r != null) {
            r.close();
        }
    }

    @Produces
    @Singleton
    McpToolDirectory directory() {
        return directory;
    }
}
