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
     * deliveryTimeout, block for metadata until maxBlock; no linger. A run awaits its session saves and its final
     * event, one after another, so a linger is paid on every awaited send: with the platform's 1 ms, agent-bench's
     * Kafka path took 3.1-3.2 ms per read-only step and 5.3-6.4 ms per writing step, with none 2.2-2.5 and 3.7-4.8 ms
     * (bench/agent-bench/README.md, 2026-12-05 09:06-09:25 UTC); records of tasks running side by side still share
     * a request while the previous one is in flight.
     */
    public Map<String, Object> producer() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
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
