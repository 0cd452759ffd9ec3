package run.codetether.agent.infra.budget;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;

/** The budget tests' look at what the ledgers wrote: a reader of every partition of tenants.spend from its start. */
final class SpendTopic {
    private SpendTopic() {}

    static KafkaConsumer<String, byte[]> fromStart(KafkaClients kafka, String clientId) {
        KafkaConsumer<String, byte[]> c = kafka.consumer(clientId, Optional.empty(),
                Map.of("auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(Topics.TENANTS_SPEND).stream()
                .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }
}
