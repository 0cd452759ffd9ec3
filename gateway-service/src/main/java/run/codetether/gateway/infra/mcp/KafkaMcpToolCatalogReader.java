package run.codetether.gateway.infra.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.mcp.McpToolCatalog;
import run.codetether.gateway.domain.mcp.McpToolDirectory;

/**
 * Reads {@value Topics#MCP_TOOLS} from its start and follows it (no consumer group: every replica reads all) into
 * the {@link McpToolDirectory}. A replica that has not caught up yet answers "not published"; it never fails the
 * gateway's start, and an unreadable record is skipped with a warning.
 */
public final class KafkaMcpToolCatalogReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaMcpToolCatalogReader.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final McpToolDirectory directory;
    private volatile boolean running = true;

    public KafkaMcpToolCatalogReader(String bootstrap, String instanceId, McpToolDirectory directory) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-" + instanceId + "-" + Topics.MCP_TOOLS);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MCP_TOOLS_MAX_MESSAGE_BYTES);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.directory = directory;
    }

    /**
     * Follows the topic from its start on a daemon thread and waits up to {@code catchUp} for what is there. A topic
     * that does not exist yet is looked for again every few seconds (the gateway still starts; the answer says no
     * catalog was published until it is read).
     */
    public void start(Duration catchUp) {
        java.util.concurrent.CountDownLatch caughtUp = new java.util.concurrent.CountDownLatch(1);
        Thread.ofPlatform().daemon().name(Topics.MCP_TOOLS + "-reader").start(() -> follow(catchUp, caughtUp));
        try {
            if (!caughtUp.await(catchUp.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s was not read within %s; GET /v1/mcp/tools answers once it is", Topics.MCP_TOOLS, catchUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow(Duration timeout, java.util.concurrent.CountDownLatch caughtUp) {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            boolean warned = false;
            while (running && parts.isEmpty()) {
                consumer.partitionsFor(Topics.MCP_TOOLS, timeout)
                        .forEach(i -> parts.add(new TopicPartition(Topics.MCP_TOOLS, i.partition())));
                if (parts.isEmpty()) {
                    if (!warned) {
                        caughtUp.countDown(); // nothing to catch up with: do not hold the start
                        LOG.warnf("Kafka topic %s does not exist yet: create it (it is in Topics.all) or set "
                                + "codetether.gateway.kafka.create-topics=true; looking again every 5s", Topics.MCP_TOOLS);
                        warned = true;
                    }
                    Thread.sleep(5_000);
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "reading %s stopped", Topics.MCP_TOOLS);
        } finally {
            consumer.close();
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
        running = false;
        consumer.wakeup();
    }
}
