package run.codetether.contracts.kafka;

import org.apache.kafka.common.serialization.Deserializer;
import run.codetether.contracts.events.ContractJson;

/** Kafka value deserializer for one contract type; a null value (a tombstone) stays null. */
public abstract class ContractDeserializer<T> implements Deserializer<T> {
    private final Class<T> type;

    protected ContractDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : ContractJson.read(data, type);
    }
}
