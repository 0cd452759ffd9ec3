package run.codetether.gateway.infra.stats;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.stats.SpendStats;
import run.codetether.gateway.infra.kafka.CompactedTopicFollower;
import run.codetether.gateway.infra.kafka.RareLoops;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * Reads {@value Topics#TENANTS_SPEND} (compacted) from its start and follows it into {@link SpendStats}
 * ({@link CompactedTopicFollower}: every gateway replica reads all of it). Until it has read what the topic
 * held when it started, {@link #unavailable} says so and {@code GET /v1/stats} answers 503 rather than a figure that
 * may be too low; it never fails the gateway's start. An unreadable record is skipped with a warning.
 */
public final class KafkaSpendReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaSpendReader.class);

    private final SpendStats stats;
    private final CompactedTopicFollower follower;

    public KafkaSpendReader(KafkaClients kafka, LoopHealth health, String instanceId, SpendStats stats) {
        this.stats = stats;
        this.follower = new CompactedTopicFollower(kafka, health, instanceId, Topics.TENANTS_SPEND,
                Topics.TENANTS_SPEND + "-stats-reader", Map.of(), RareLoops.POLL_TIMEOUT, this::apply);
    }

    /** Follows the topic from its start; waits up to {@code catchUp} for what is there. */
    public void start(Duration catchUp) {
        if (!follower.start(catchUp)) {
            LOG.warnf("%s was not read within %s; GET /v1/stats answers 503 until it is", Topics.TENANTS_SPEND, catchUp);
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
        Optional<String> stopped = follower.whyStopped();
        if (stopped.isPresent()) {
            return Optional.of("the reader of Kafka topic " + Topics.TENANTS_SPEND + " stopped (" + stopped.get() + ")");
        }
        if (follower.topicMissing()) {
            return Optional.of("Kafka topic " + Topics.TENANTS_SPEND + " does not exist yet");
        }
        if (!follower.caughtUp()) {
            return Optional.of("the tenants' spend (Kafka topic " + Topics.TENANTS_SPEND + ") is still being read");
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        follower.close();
    }
}
