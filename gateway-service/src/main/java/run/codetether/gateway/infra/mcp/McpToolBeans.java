package run.codetether.gateway.infra.mcp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.mcp.McpToolDirectory;
import run.codetether.gateway.infra.BackgroundStart;
import run.codetether.gateway.infra.StartupReaders;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The MCP tool catalog this replica answers {@code GET /v1/mcp/tools} from, and its topic reader, started beside the
 * boot ({@link StartupReaders}): until its start is done the directory says so and the endpoints answer a retryable
 * error instead of "no catalog published".
 */
@Singleton
public class McpToolBeans {
    private final McpToolDirectory directory = new McpToolDirectory();
    private final GatewayConfig gateway;
    private final KafkaClients kafka;
    private final LoopHealth loops;
    private final StartupReaders readers;
    private volatile BackgroundStart<KafkaMcpToolCatalogReader> start;

    public McpToolBeans(GatewayConfig gateway, KafkaClients kafka, LoopHealth loops, StartupReaders readers) {
        this.gateway = gateway;
        this.kafka = kafka;
        this.loops = loops;
        this.readers = readers;
        directory.reading("the MCP tool catalog (Kafka topic " + Topics.MCP_TOOLS + ") is being read: the gateway "
                + "is starting");
    }

    void start(@Observes StartupEvent ev) {
        start = readers.begin("mcp-tools", "gateway-mcp-tools-reader-" + gateway.instanceId(), this::startReader,
                KafkaMcpToolCatalogReader::close);
    }

    private KafkaMcpToolCatalogReader startReader() {
        if (gateway.kafka().createTopics()) {
            TaskTopics.ensureOnce(kafka, gateway.kafka().partitions()); // whichever start-up reader comes first
        }
        KafkaMcpToolCatalogReader r = new KafkaMcpToolCatalogReader(kafka, loops, gateway.instanceId(), directory);
        try {
            r.start(gateway.kafka().catchUpTimeout());
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        directory.read();
        return r;
    }

    void stop(@Observes ShutdownEvent ev) {
        BackgroundStart<KafkaMcpToolCatalogReader> s = start;
        if (s != null) {
            s.close(); // the reader, now or when its start ends
        }
    }

    @Produces
    @Singleton
    McpToolDirectory directory() {
        return directory;
    }
}
