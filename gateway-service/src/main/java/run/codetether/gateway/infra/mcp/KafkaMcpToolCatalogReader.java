package run.codetether.gateway.infra.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.mcp.McpToolCatalog;
import run.codetether.gateway.domain.mcp.McpToolDirectory;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Reads {@value Topics#MCP_TOOLS} from its start and follows it (no consumer group: every replica reads all) into
 * the {@link McpToolDirectory}, on a platform {@link PollLoop}. A replica that has not caught up yet answers "not
 * published"; it never fails the gateway's start, and an unreadable record is skipped with a warning.
 */
public final class KafkaMcpToolCatalogReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaMcpToolCatalogReader.class);

    private final McpToolDirectory directory;
    private final CatchUp caughtUp = new CatchUp();
    private final PollLoop.Builder<String, byte[]> builder;
    private volatile PollLoop<String, byte[]> loop;
    /** Counted down once caught up, or when the topic is missing (nothing to catch up with: the start goes on). */
    private final CountDownLatch startable = new CountDownLatch(1);
    private volatile boolean warned;

    public KafkaMcpToolCatalogReader(String bootstrap, String instanceId, McpToolDirectory directory) {
        this(KafkaClients.forBootstrap(bootstrap), new LoopHealth(), instanceId, directory);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaMcpToolCatalogReader(KafkaClients kafka, LoopHealth health, String instanceId,
            McpToolDirectory directory) {
        this.directory = directory;
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-" + instanceId + "-" + Topics.MCP_TOOLS,
                Optional.empty(), Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        Integer.toString(Topics.MCP_TOOLS_MAX_MESSAGE_BYTES)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.builder = PollLoop.builder(Topics.MCP_TOOLS + "-reader", consumer)
                .pollTimeout(Duration.ofMillis(500))
                .beforePoll(c -> {
                    caughtUp.check(c);
                    if (caughtUp.reached()) {
                        startable.countDown();
                    }
                })
                .onRecord(this::apply)
                .health(health);
    }

    /**
     * Follows the topic from its start and waits up to {@code catchUp} for what is there. A topic that does not exist
     * yet is looked for again every few seconds (the gateway still starts; the answer says no catalog was published
     * until it is read).
     */
    public void start(Duration catchUp) {
        loop = builder.onStart(c -> caughtUp.assign(c, awaitTopic(c, catchUp), CatchUp.From.BEGINNING, catchUp))
                .start();
        try {
            if (!startable.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s was not read within %s; GET /v1/mcp/tools answers once it is", Topics.MCP_TOOLS,
                        catchUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<TopicPartition> awaitTopic(KafkaConsumer<?, ?> c, Duration timeout) {
        while (true) {
            List<TopicPartition> parts = CatchUp.partitionsOf(c, Topics.MCP_TOOLS, timeout);
            if (!parts.isEmpty()) {
                return parts;
            }
            if (!warned) {
                warned = true;
                startable.countDown(); // nothing to catch up with: do not hold the start
                LOG.warnf("Kafka topic %s does not exist yet: create it (it is in Topics.all) or set "
                        + "codetether.gateway.kafka.create-topics=true; looking again every 5s", Topics.MCP_TOOLS);
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                throw new InterruptException(e); // closed while waiting: the loop stops cleanly
            }
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
        PollLoop<String, byte[]> l = loop;
        if (l != null) {
            l.close();
        } else {
            builder.build().close(); // never started: its consumer is closed
        }
    }
}
