package run.codetether.swarm.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.swarm.infra.SwarmKafkaHarness;
import run.codetether.swarm.testing.ScriptedOpenAiServer;

/**
 * A take-over reads each assigned {@code swarm.state} partition with a reader of its own, in the commands loop's
 * rebalance callback. Its close waited for the fetch the reader had sent ahead after its last records (the broker
 * holds it up to 500 ms, and answers one request per connection at a time), up to Kafka's 30 s default when the
 * broker did not answer: every assigned partition with saved swarms paid that before the take-over went on.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SavedSwarmsReadTest {
    @Test
    void aPartitionsSavedSwarmsAreReadWithoutWaitingForTheReadersHeldFetch(EmbeddedKafkaBroker broker)
            throws Exception {
        KafkaClients clients = new KafkaClients(KafkaSettings.of(broker.bootstrapServers()));
        try (ScriptedOpenAiServer llm = new ScriptedOpenAiServer(request -> "{}");
                KafkaSwarmRuntime runtime = SwarmKafkaHarness.runtime(clients, "g-" + UUID.randomUUID(),
                        "saved" + UUID.randomUUID().toString().substring(0, 8), llm.baseUrl());
                KafkaProducer<String, byte[]> producer = clients.producer("saved-test", new StringSerializer(),
                        new ByteArraySerializer())) {
            // a record to read (an unreadable one is skipped with an error line), so the read fetches and sends on
            producer.send(new ProducerRecord<>(Topics.SWARM_STATE, 0, "not-a-swarm", new byte[] {'x'}))
                    .get(10, TimeUnit.SECONDS);
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long began = System.nanoTime();
                runtime.savedSwarms(0);
                fastest = Math.min(fastest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            }
            assertTrue(fastest < Duration.ofMillis(400).toMillis(), "reading one partition's saved swarms took at "
                    + "least " + fastest + " ms: its close waited for the reader's held fetch (500 ms)");
        }
    }
}
