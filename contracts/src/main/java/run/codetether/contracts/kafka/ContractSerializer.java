package run.codetether.contracts.kafka;

import org.apache.kafka.common.serialization.Serializer;
import run.codetether.contracts.events.ContractJson;

/** Kafka value serializer for every contract record. */
public class ContractSerializer implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object data) {
        return data == null ? null : ContractJson.write(data);
    }
}
