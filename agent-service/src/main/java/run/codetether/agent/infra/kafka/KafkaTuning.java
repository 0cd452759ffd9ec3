package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How fast a dead worker's tasks move on, and how long a Kafka outage is waited out (issue 19).
 *
 * <p>The task consumer's session timeout bounds takeover after a crash: Kafka's 45 s default kept a killed worker's
 * tasks still for 44-46 s; 3 s plus a 500 ms heartbeat and one rebalance keeps takeover under 5 s. It must lie within
 * the broker's {@code group.min.session.timeout.ms} (6 s by Kafka's default: production brokers need it lowered, see
 * docs/operations.md; a broker that refuses it gets a longer one, loudly, from {@link KafkaTaskIntake}) and
 * {@code group.max.session.timeout.ms}; the heartbeat must be well below it (it also bounds how soon the surviving
 * workers hear of the rebalance). Producers (events, sessions) retry
 * through an outage for {@code deliveryTimeout} and wait up to {@code maxBlock} for metadata before a send fails,
 * so a broker restart of a few minutes fails no task.
 */
public record KafkaTuning(Duration sessionTimeout, Duration heartbeatInterval, Duration deliveryTimeout,
        Duration maxBlock) {

    /** Producers' request timeout; delivery.timeout.ms must exceed it. Declared first: DEFAULTS' check reads it. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** 3 s / 500 ms / 5 min / 5 min: the defaults of {@code codetether.agent.kafka.*}. */
    public static final KafkaTuning DEFAULTS =
            new KafkaTuning(Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofMinutes(5));

    public KafkaTuning {
        if (heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw new IllegalArgumentException("codetether.agent.kafka.heartbeat-interval (" + heartbeatInterval
                    + ") must be below codetether.agent.kafka.session-timeout (" + sessionTimeout + ")");
        }
        if (deliveryTimeout.compareTo(REQUEST_TIMEOUT) <= 0) {
            throw new IllegalArgumentException("codetether.agent.kafka.delivery-timeout (" + deliveryTimeout
                    + ") must be above the producers' request timeout (" + REQUEST_TIMEOUT + ")");
        }
    }

    /** Group membership timing of a consumer that belongs to a group (the task intake): overrides for the platform's. */
    public Map<String, Object> groupConsumer() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(heartbeatInterval.toMillis()));
        return c;
    }

    /**
     * Outage tolerance of the agent's producers, as overrides of the platform's producer defaults: retry until
     * deliveryTimeout, block for metadata until maxBlock; a 1 ms linger (issue 18): with none, at 64 tasks at once
     * nearly every event and session record went to the broker in a produce request of its own, and requests are
     * what the broker's CPU goes to; 1 ms lets records of tasks running side by side share one, at a cost of at most
     * 1 ms on an awaited send (a final event, a session save).
     */
    public Map<String, Object> producer() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(REQUEST_TIMEOUT.toMillis()));
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        return p;
    }

    /** {@link #producer()} plus a producer's own settings. */
    public Map<String, Object> producer(Map<String, Object> own) {
        Map<String, Object> p = producer();
        p.putAll(own);
        return p;
    }

    /** {@link #producer()} added to {@code p} (tests, diagnostics). */
    public Properties applyToProducer(Properties p) {
        p.putAll(producer());
        return p;
    }
}
