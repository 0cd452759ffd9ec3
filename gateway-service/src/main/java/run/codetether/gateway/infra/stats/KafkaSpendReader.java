package run.codetether.gateway.infra.stats;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.stats.SpendStats;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Reads {@value Topics#TENANTS_SPEND} (compacted) from its start and follows it into {@link SpendStats}, on a platform
 * {@link PollLoop} with no consumer group (every gateway replica reads all of it). Until it has read what the topic
 * held when it started, {@link #unavailable} says so and {@code GET /v1/stats} answers 503 rather than a figure that
 * may be too low; it never fails the gateway's start. An unreadable record is skipped with a warning.
 */
public final class KafkaSpendReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSpendReader.class);

    private final SpendStats stats;
    private final CatchUp caughtUp = new CatchUp();
    private final PollLoop.Builder<String, byte[]> builder;
    private final CountDownLatch startable = new CountDownLatch(1);
    private volatile PollLoop<String, byte[]> loop;
    private volatile boolean topicMissing;

    public KafkaSpendReader(KafkaClients kafka, LoopHealth health, String instanceId, SpendStats stats) {
        this.stats = stats;
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-" + instanceId + "-" + Topics.TENANTS_SPEND,
                Optional.empty(), java.util.Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        PollLoop.Builder<String, byte[]> b = PollLoop.builder(Topics.TENANTS_SPEND + "-stats-reader", consumer)
                .pollTimeout(Duration.ofMillis(200))
                .beforePoll(c -> {
                    caughtUp.check(c);
                    if (caughtUp.reached()) {
                        startable.countDown();
                    }
                })
                .onRecord(this::apply);
        this.builder = health == null ? b : b.health(health);
    }

    /** Follows the topic from its start; waits up to {@code catchUp} for what is there. */
    public void start(Duration catchUp) {
        loop = builder.onStart(c -> caughtUp.assign(c, awaitTopic(c, catchUp), CatchUp.From.BEGINNING, catchUp))
                .start();
        try {
            if (!startable.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s was not read within %s; GET /v1/stats answers 503 until it is", Topics.TENANTS_SPEND,
                        catchUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<TopicPartition> awaitTopic(KafkaConsumer<?, ?> c, Duration timeout) {
        while (true) {
            List<TopicPartition> parts = CatchUp.partitionsOf(c, Topics.TENANTS_SPEND, timeout);
            if (!parts.isEmpty()) {
                topicMissing = false;
                return parts;
            }
            if (!topicMissing) {
                topicMissing = true;
                startable.countDown(); // nothing to catch up with: do not hold the start
                LOG.warnf("Kafka topic %s does not exist yet: create it (it is in Topics.all) or set "
                        + "codetether.gateway.kafka.create-topics=true; looking again every 5s", Topics.TENANTS_SPEND);
            }
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                throw new InterruptException(e); // closed while waiting: the loop stops cleanly
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            stats.apply(r.key(), r.value() == null ? null : ContractJson.read(r.value(), TenantSpend.class));
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable %s record %d@%d: %s", Topics.TENANTS_SPEND, r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    /** Why the figures cannot be served now (the topic is missing or not read to its end yet), or empty. */
    public Optional<String> unavailable() {
        PollLoop<String, byte[]> l = loop;
        if (l != null && (l.status().state() == PollLoop.State.FAILED
                || l.status().state() == PollLoop.State.STOPPED)) {
            return Optional.of("the reader of Kafka topic " + Topics.TENANTS_SPEND + " stopped"
                    + l.status().failure().map(f -> " (" + f + ")").orElse(""));
        }
        if (topicMissing) {
            return Optional.of("Kafka topic " + Topics.TENANTS_SPEND + " does not exist yet");
        }
        if (!caughtUp.reached()) {
            return Optional.of("the tenants' spend (Kafka topic " + Topics.TENANTS_SPEND + ") is still being read");
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
