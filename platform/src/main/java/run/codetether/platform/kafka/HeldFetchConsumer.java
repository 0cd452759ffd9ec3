package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A consumer whose idle fetch the broker holds longer than Kafka's 500 ms ({@link Traffic#RARE}, the gateway's start
 * sweep), closed without waiting that hold out. The broker answers one request per connection at a time, and a
 * consumer's close ends its fetch session with a request on the connection of the held fetch: each such close
 * waited up to {@code codetether.kafka.rare-fetch-wait} (5 s), one loop after another, so a gateway outlived the
 * 10 s its SIGTERM gets and a stream's task ended before the other gateway took it over (issue 18).
 *
 * <p>Without a group nothing is lost by not waiting: no offsets, and the broker drops the orphaned fetch session by
 * itself. A group's member gets {@link #GROUP_CLOSE} at most, enough to leave its group on the coordinator's own
 * connection (its partitions move at once instead of after the session timeout), then gives up the held fetch.
 * Commits a loop needs it makes before closing, as every loop does.
 */
final class HeldFetchConsumer<K, V> extends BudgetedConsumer<K, V> {
    /** Kafka's own {@code fetch.max.wait.ms}: a consumer that waits no longer closes as Kafka closes it. */
    static final long KAFKA_FETCH_WAIT_MS = 500;
    /** The most a group's member waits at close: its leave (a loopback round trip), not the held fetch. */
    static final Duration GROUP_CLOSE = Duration.ofMillis(500);

    private final Duration closeAtMost;

    private HeldFetchConsumer(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values,
            Duration outageBudget) {
        super(config, keys, values, outageBudget);
        this.closeAtMost = config.get(ConsumerConfig.GROUP_ID_CONFIG) == null ? Duration.ZERO : GROUP_CLOSE;
    }

    /**
     * A consumer on these settings: this class when they hold an idle fetch longer than Kafka does.
     *
     * @param outageBudget how long its one-shot reads wait out a broker outage ({@link BudgetedConsumer})
     */
    static <K, V> KafkaConsumer<K, V> of(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values,
            Duration outageBudget) {
        Object wait = config.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
        if (wait == null || Long.parseLong(String.valueOf(wait).strip()) <= KAFKA_FETCH_WAIT_MS) {
            return new BudgetedConsumer<>(config, keys, values, outageBudget);
        }
        return new HeldFetchConsumer<>(config, keys, values, outageBudget);
    }

    @Override
    public void close() {
        super.close(closeAtMost);
    }

    @Override
    public void close(Duration timeout) {
        super.close(timeout.compareTo(closeAtMost) < 0 ? timeout : closeAtMost);
    }

    @Override
    public void close(CloseOptions options) {
        Duration asked = options.timeout().orElse(closeAtMost);
        super.close(options.withTimeout(asked.compareTo(closeAtMost) < 0 ? asked : closeAtMost));
    }
}
