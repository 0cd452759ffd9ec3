package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * Reads a small compacted topic from its start and follows it, on a platform {@link PollLoop} with no consumer group
 * (every gateway replica reads all of it). {@link #start} waits a while for what the topic holds but never fails the
 * gateway's start: a topic that does not exist yet is looked for again every 5 s, with one warning, and the readers
 * built on this say "not read yet" until it is.
 */
public final class CompactedTopicFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CompactedTopicFollower.class);

    private final String topic;
    private final CatchUp caughtUp = new CatchUp();
    private final PollLoop.Builder<String, byte[]> builder;
    /** Counted down once caught up, or when the topic is missing (nothing to catch up with: the start goes on). */
    private final CountDownLatch startable = new CountDownLatch(1);
    private volatile PollLoop<String, byte[]> loop;
    private volatile boolean topicMissing;

    /**
     * @param health where the loop reports (null: not part of readiness)
     * @param config consumer settings beyond the service's own
     */
    public CompactedTopicFollower(KafkaClients kafka, LoopHealth health, String instanceId, String topic,
            String loopName, Map<String, ?> config, Duration pollTimeout,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.topic = topic;
        // compacted topics of configuration-like records (spend figures, tool catalogs): seldom a record
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-" + instanceId + "-" + topic, Optional.empty(),
                Traffic.RARE, config, new StringDeserializer(), new ByteArrayDeserializer());
        PollLoop.Builder<String, byte[]> b = PollLoop.builder(loopName, consumer)
                .pollTimeout(pollTimeout)
                .beforePoll(c -> {
                    caughtUp.check(c);
                    if (caughtUp.reached()) {
                        startable.countDown();
                    }
                })
                .onRecord(onRecord::accept);
        this.builder = health == null ? b : b.health(health);
    }

    /** Follows the topic from its start; true when what it held was read within {@code catchUp}. */
    public boolean start(Duration catchUp) {
        loop = builder.onStart(c -> caughtUp.assign(c, awaitTopic(c, catchUp), CatchUp.From.BEGINNING, catchUp))
                .start();
        try {
            return startable.await(catchUp.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<TopicPartition> awaitTopic(KafkaConsumer<?, ?> c, Duration timeout) {
        while (true) {
            List<TopicPartition> parts = CatchUp.partitionsOf(c, topic, timeout);
            if (!parts.isEmpty()) {
                topicMissing = false;
                return parts;
            }
            if (!topicMissing) {
                topicMissing = true;
                startable.countDown();
                LOG.warnf("Kafka topic %s does not exist yet: create it (it is in Topics.all) or set "
                        + "codetether.gateway.kafka.create-topics=true; looking again every 5s", topic);
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                throw new InterruptException(e); // closed while waiting: the loop stops cleanly
            }
        }
    }

    /** Whether the topic was missing when last looked for. */
    public boolean topicMissing() {
        return topicMissing;
    }

    /** Whether what the topic held at the start has been read. */
    public boolean caughtUp() {
        return caughtUp.reached();
    }

    /** Why the loop no longer reads (its failure, or "closed"), or empty while it runs or before it started. */
    public Optional<String> whyStopped() {
        PollLoop<String, byte[]> l = loop;
        if (l != null && (l.status().state() == PollLoop.State.FAILED || l.status().state() == PollLoop.State.STOPPED)) {
            return Optional.of(l.status().failure().orElse("closed"));
        }
        return Optional.empty();
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
