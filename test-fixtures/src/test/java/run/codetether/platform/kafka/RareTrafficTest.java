package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.ConsumerFetches;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * {@link Traffic#RARE} consumers against the real in-process broker: an idle one asks the broker about once per
 * {@code codetether.kafka.rare-fetch-wait} instead of twice a second, and a record still reaches it at once
 * (issue 18: the idle stack's fetches).
 */
class RareTrafficTest {
    /** The RARE consumers' hold in these tests: long enough that a wait for it shows. */
    private static final Duration HOLD = Duration.ofSeconds(8);

    private static KafkaClients clients() {
        return new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers()), HOLD);
    }

    /** A new topic of two partitions on the shared broker. */
    private static String newTopic(String prefix) {
        String topic = prefix + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 2, false)));
        return topic;
    }

    @Test
    void anIdleRareConsumerFetchesSeldomAndARecordStillArrivesAtOnce() throws Exception {
        Duration wait = HOLD;
        KafkaClients clients = clients();
        String topic = newTopic("rare-");
        String rareId = "rare-" + UUID.randomUUID();
        String steadyId = "steady-" + UUID.randomUUID();
        BlockingQueue<Long> arrived = new ArrayBlockingQueue<>(4);
        List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (PollLoop<String, String> rare = loop("rare", clients.consumer(rareId, Optional.empty(), Traffic.RARE,
                        Map.of(), new StringDeserializer(), new StringDeserializer()), parts,
                        r -> arrived.add(System.nanoTime()));
                PollLoop<String, String> steady = loop("steady", clients.consumer(steadyId, Optional.empty(),
                        Map.of(), new StringDeserializer(), new StringDeserializer()), parts, r -> { });
                KafkaProducer<String, String> producer = clients.producer("rare-test", new StringSerializer(),
                        new StringSerializer())) {
            // both loops poll every 100 ms; only the broker's hold of an empty fetch differs
            ConsumerFetches.await(rareId, 1);
            ConsumerFetches.await(steadyId, 1);
            double rare0 = ConsumerFetches.of(rareId);
            double steady0 = ConsumerFetches.of(steadyId);
            Thread.sleep(4_000);
            double rareIdle = ConsumerFetches.of(rareId) - rare0;
            double steadyIdle = ConsumerFetches.of(steadyId) - steady0;
            assertTrue(rareIdle <= 1, "an idle RARE consumer asked " + rareIdle + " times in 4 s (hold 8 s)");
            assertTrue(steadyIdle >= 4, "the STEADY one asks about twice a second (Kafka's 500 ms): " + steadyIdle
                    + " in 4 s; if this fails the comparison above proves nothing");

            long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, "k", "cancel")).get(10, TimeUnit.SECONDS);
            Long at = arrived.poll(wait.toSeconds() - 1, TimeUnit.SECONDS);
            assertTrue(at != null, "the record did not arrive before the held fetch's wait ran out");
            long ms = TimeUnit.NANOSECONDS.toMillis(at - sent);
            assertTrue(ms < 3_000, "a record answers the held fetch at once, it came after " + ms + " ms");
        }
    }

    /**
     * The broker answers one request per connection at a time, so a consumer's close (whose fetch-session close goes
     * on the same connection) waited out a held idle fetch: 5 s per RARE loop, several per service, serially. The
     * gateway then outlived the 10 s its SIGTERM gets in TwoGatewaysEndToEndTest, and the task finished before the
     * other gateway's SubscribeToTask (issue 18). A group's member still leaves at once (no session timeout to wait).
     */
    @Test
    void anIdleRareLoopClosesAtOnceInsteadOfWaitingOutItsHeldFetch() throws Exception {
        Duration wait = HOLD;
        KafkaClients clients = clients();
        String topic = newTopic("rare-close-");
        List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        String alone = "rare-alone-" + UUID.randomUUID();
        PollLoop<String, String> loop = loop("rare-alone", clients.consumer(alone, Optional.empty(), Traffic.RARE,
                Map.of(), new StringDeserializer(), new StringDeserializer()), parts, r -> { });
        String member = "rare-member-" + UUID.randomUUID();
        String group = "rare-group-" + UUID.randomUUID();
        PollLoop<String, String> grouped = PollLoop.builder("rare-member", clients.consumer(member,
                        Optional.of(group), Traffic.RARE, Map.of(), new StringDeserializer(), new StringDeserializer()))
                .onStart(c -> c.subscribe(List.of(topic)))
                .onRecord(r -> { })
                .pollTimeout(Duration.ofMillis(100))
                .start();
        ConsumerFetches.await(alone, 1);
        ConsumerFetches.await(member, 1);
        Thread.sleep(500); // each has asked again since (polls every 100 ms), and the broker holds that fetch
        long began = System.nanoTime();
        loop.close();
        grouped.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertTrue(ms < 3_000, "two idle RARE loops took " + ms + " ms to close (hold " + wait.toMillis() + " ms)");
        try (var admin = clients.admin("rare-close-check")) {
            var members = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group)
                    .members();
            assertTrue(members.isEmpty(), "the closed member left its group at once: " + members);
        }
    }

    @Test
    void theSettingIsBoundedAndAnExplicitWaitWins() {
        KafkaSettings s = KafkaSettings.of("127.0.0.1:1");
        var low = assertThrows(IllegalArgumentException.class, () -> new KafkaClients(s, Duration.ofMillis(50)));
        assertTrue(low.getMessage().contains("codetether.kafka.rare-fetch-wait"), low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KafkaClients(s, Duration.ofSeconds(25)),
                "a hold past the consumers' 30 s request timeout would fail every idle fetch");
        KafkaClients clients = new KafkaClients(s, Duration.ofSeconds(3));
        assertEquals(3000, clients.consumerConfig("a", Optional.empty(), Traffic.RARE, Map.of())
                .get("fetch.max.wait.ms"));
        assertFalse(clients.consumerConfig("a", Optional.empty(), Traffic.STEADY, Map.of())
                .containsKey("fetch.max.wait.ms"), "STEADY keeps Kafka's (or the service's) wait");
        assertEquals("200", clients.consumerConfig("a", Optional.empty(), Traffic.RARE,
                Map.of("fetch.max.wait.ms", "200")).get("fetch.max.wait.ms"), "the consumer's own setting wins");
        assertEquals(KafkaClients.DEFAULT_RARE_FETCH_WAIT, new KafkaClients(s).rareFetchWait());
    }

    private static PollLoop<String, String> loop(String name, KafkaConsumer<String, String> consumer,
            List<TopicPartition> parts, PollLoop.RecordHandler<String, String> handler) {
        return PollLoop.builder(name, consumer)
                .onStart(c -> {
                    c.assign(parts);
                    c.seekToEnd(parts);
                    parts.forEach(c::position);
                })
                .onRecord(handler)
                .pollTimeout(Duration.ofMillis(100))
                .start();
    }
}
