package run.codetether.gateway.infra.mcp;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.mcp.McpToolCatalog;
import run.codetether.gateway.domain.mcp.McpToolDirectory;
import run.codetether.gateway.infra.kafka.CompactedTopicFollower;
import run.codetether.gateway.infra.kafka.RareLoops;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Reads {@value Topics#MCP_TOOLS} from its start and follows it (no consumer group: every replica reads all) into
 * the {@link McpToolDirectory} ({@link CompactedTopicFollower}). A replica that has not caught up yet answers "not
 * published"; it never fails the gateway's start, and an unreadable record is skipped with a warning.
 */
public final class KafkaMcpToolCatalogReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaMcpToolCatalogReader.class);

    private final McpToolDirectory directory;
    private final CompactedTopicFollower follower;

    public KafkaMcpToolCatalogReader(String bootstrap, String instanceId, McpToolDirectory directory) {
        this(KafkaClients.forBootstrap(bootstrap), new LoopHealth(), instanceId, directory);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaMcpToolCatalogReader(KafkaClients kafka, LoopHealth health, String instanceId,
            McpToolDirectory directory) {
        this.directory = directory;
        this.follower = new CompactedTopicFollower(kafka, health, instanceId, Topics.MCP_TOOLS, Topics.MCP_TOOLS + "-reader",
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MCP_TOOLS_MAX_MESSAGE_BYTES)),
                RareLoops.POLL_TIMEOUT, this::apply);
    }

    /**
     * Follows the topic from its start and waits up to {@code catchUp} for what is there. A topic that does not exist
     * yet is looked for again every few seconds (the gateway still starts; the answer says no catalog was published
     * until it is read).
     */
    public void start(Duration catchUp) {
        if (!follower.start(catchUp)) {
            LOG.warnf("%s was not read within %s; GET /v1/mcp/tools answers once it is", Topics.MCP_TOOLS, catchUp);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (!McpToolCatalog.KEY.equals(r.key())) {
            return;
        }
        try {
            directory.apply(r.value() == null ? null : ContractJson.read(r.value(), McpToolCatalog.class));
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable MCP tool catalog %s@%d: %s", Topics.MCP_TOOLS, r.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
