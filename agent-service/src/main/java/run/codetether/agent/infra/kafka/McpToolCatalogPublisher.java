package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.mcp.McpToolCatalogs;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.mcp.McpToolCatalog;

/**
 * Lists the configured MCP servers at start and every {@code refresh}, and publishes the catalog on
 * {@value Topics#MCP_TOOLS} for the gateways ({@code GET /v1/mcp/tools}). A failed publish (the topic not created
 * yet, Kafka away) is tried again after a short pause, not only at the next refresh.
 */
public final class McpToolCatalogPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(McpToolCatalogPublisher.class);
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final McpToolCatalogs catalogs;
    private final String sessionId;
    private final String agent;
    private final Duration refresh;
    private final KafkaProducer<String, byte[]> producer;
    private volatile Thread thread;

    public McpToolCatalogPublisher(String bootstrap, McpToolCatalogs catalogs, String agent, Duration refresh) {
        this.catalogs = catalogs;
        this.agent = agent;
        // a session id tools-service accepts ([A-Za-z0-9._:-]), its own per instance: the stdio servers' pool
        this.sessionId = "mcp-catalog-" + agent.replaceAll("[^A-Za-z0-9._:-]", "_").replace("..", "_");
        this.refresh = refresh;
        java.util.Properties p = new java.util.Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "agent-" + agent + "-mcp-tools");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MCP_TOOLS_MAX_MESSAGE_BYTES);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void start() {
        thread = Thread.ofVirtual().name("mcp-tool-catalog").start(this::run);
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                McpToolCatalog catalog = catalogs.list(sessionId, agent);
                boolean sent = publish(catalog);
                Thread.sleep(sent ? refresh : RETRY);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot list or publish the MCP tool catalog: %s", e.getMessage());
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private boolean publish(McpToolCatalog catalog) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(Topics.MCP_TOOLS, McpToolCatalog.KEY, ContractJson.write(catalog)))
                    .get(30, TimeUnit.SECONDS);
            LOG.debugf("published the MCP tool catalog: %d servers", catalog.servers().size());
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warnf("cannot publish the MCP tool catalog on %s (trying again in %s): %s", Topics.MCP_TOOLS, RETRY,
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
