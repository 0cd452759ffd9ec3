package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A consumer made by a {@link KafkaClients}, which carries that client's outage budget
 * ({@code codetether.kafka.outage-budget}): the one-shot reads and look-ups made with it ({@link ReadToEnd},
 * {@link CatchUp#assign}) wait an outage out for as long as the service is configured to, without each caller
 * passing the setting on (issue 19).
 */
class BudgetedConsumer<K, V> extends KafkaConsumer<K, V> {
    private final Duration outageBudget;

    BudgetedConsumer(Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values, Duration outageBudget) {
        super(config, keys, values);
        this.outageBudget = outageBudget;
    }

    final Duration outageBudget() {
        return outageBudget;
    }
}
