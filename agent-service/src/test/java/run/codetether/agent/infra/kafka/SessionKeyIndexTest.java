package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.ConsumerFetches;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;

/**
 * The session key index answers a lookup as soon as the partition is read up to the asked end: an empty partition
 * at once, not after one empty poll (issue 19: a lone task's run start waited 200-470 ms there). The indexer's poll
 * is lengthened to 20 s here, so a lookup that waited for an empty poll would take that long.
 */
class SessionKeyIndexTest {
    private static final Duration LONG_POLL = Duration.ofSeconds(20);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private static String topic() {
        String topic = "sessions-index-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 3, true, Topics.SESSION_MAX_MESSAGE_BYTES)));
        return topic;
    }

    @Test
    void aLookupInAnEmptyPartitionAnswersWithoutWaitingForAnEmptyPoll() throws Exception {
        KafkaClients kafka = KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers());
        try (SessionKeyIndex index = new SessionKeyIndex(kafka, topic(), 1_000, LONG_POLL)) {
            index.followAll(3);
            for (int partition = 0; partition < 3; partition++) {
                long start = System.nanoTime();
                SessionKeyIndex.Lookup found = index.lookup(partition, "ctx-new", 0, LONG_POLL.multipliedBy(2));
                long took = (System.nanoTime() - start) / 1_000_000;
                assertInstanceOf(SessionKeyIndex.Lookup.Absent.class, found, "partition " + partition);
                assertTrue(took < ANSWER_WITHIN.toMillis(), "partition " + partition + " answered after " + took
                        + " ms: it waited for an empty poll of " + LONG_POLL);
            }
        }
    }

    @Test
    void everyPartitionIsReadFromItsStartOnceTheIndexFollowsAll() throws Exception {
        KafkaClients kafka = KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers());
        String topic = topic();
        long offset;
        try (KafkaProducer<String, byte[]> producer = kafka.producer("index-test", Map.of(), new StringSerializer(),
                new ByteArraySerializer())) {
            offset = producer.send(new ProducerRecord<>(topic, 2, "ctx-written", new byte[] {1})).get().offset();
        }
        try (SessionKeyIndex index = new SessionKeyIndex(kafka, topic, 1_000, LONG_POLL)) {
            index.followAll(3);
            assertInstanceOf(SessionKeyIndex.Lookup.Absent.class, index.lookup(0, "ctx-other", 0, ANSWER_WITHIN));
            // partition 2 is read from its start: the record written before the index began is found
            SessionKeyIndex.Lookup found = index.lookup(2, "ctx-written", offset + 1, ANSWER_WITHIN);
            assertEquals(new SessionKeyIndex.Lookup.Found(offset), found);
        }
    }

    /** Past its key limit the index answers "scan instead" and its loop (the platform's PollLoop) ends. */
    @Test
    void pastItsKeyLimitTheIndexSwitchesOffAndItsLoopEnds() throws Exception {
        KafkaClients kafka = KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers());
        String topic = topic();
        long last = 0;
        try (KafkaProducer<String, byte[]> producer = kafka.producer("index-test", Map.of(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                last = producer.send(new ProducerRecord<>(topic, 1, "ctx-" + i, new byte[] {1})).get().offset();
            }
        }
        try (SessionKeyIndex index = new SessionKeyIndex(kafka, topic, 2, Duration.ofMillis(200))) {
            assertInstanceOf(SessionKeyIndex.Lookup.Unavailable.class, index.lookup(1, "ctx-0", 1, ANSWER_WITHIN),
                    "no partition is followed before the first load");
            index.followAll(3);
            SessionKeyIndex.Lookup found = index.lookup(1, "ctx-0", last + 1, ANSWER_WITHIN);
            var off = assertInstanceOf(SessionKeyIndex.Lookup.Unavailable.class, found);
            assertTrue(off.why().contains("more than 2 sessions"), off.why());
            long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
            while (!index.loopEnded()) {
                assertTrue(System.nanoTime() < deadline, "the index's loop should end once it is off");
                Thread.sleep(10);
            }
        }
    }

    /**
     * Idle, the index asks the broker about once per {@code codetether.kafka.rare-fetch-wait} (8 s here) instead of
     * twice a second (Kafka's 500 ms: 2.1 of the idle stack's fetches per second, issue 18), and a save written
     * meanwhile still answers its held fetch at once, so a lookup of it does not wait for the hold.
     */
    @Test
    void anIdleIndexFetchesSeldomAndASaveStillReachesItAtOnce() throws Exception {
        Duration hold = Duration.ofSeconds(8);
        KafkaClients kafka = new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers()), hold);
        String topic = topic();
        try (SessionKeyIndex index = new SessionKeyIndex(kafka, topic, 1_000);
                KafkaProducer<String, byte[]> producer = kafka.producer("index-idle-test", Map.of(),
                        new StringSerializer(), new ByteArraySerializer())) {
            // a record to read, so that the index's first fetch is answered at once and its next one is held
            long first = producer.send(new ProducerRecord<>(topic, 2, "ctx-first", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS).offset();
            index.followAll(3);
            assertEquals(new SessionKeyIndex.Lookup.Found(first),
                    index.lookup(2, "ctx-first", first + 1, ANSWER_WITHIN));
            ConsumerFetches.await(index.clientId(), 1);
            Thread.sleep(500); // the index asked again after its first answer: that fetch is the one held now
            double before = ConsumerFetches.of(index.clientId());
            Thread.sleep(4_000);
            double idle = ConsumerFetches.of(index.clientId()) - before;
            assertTrue(idle <= 1, "the idle index fetched " + idle + " times in 4 s (hold " + hold.toMillis()
                    + " ms; Kafka's 500 ms would make about 8)");

            long sent = System.nanoTime();
            long offset = producer.send(new ProducerRecord<>(topic, 1, "ctx-saved", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS).offset();
            SessionKeyIndex.Lookup found = index.lookup(1, "ctx-saved", offset + 1, hold);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertEquals(new SessionKeyIndex.Lookup.Found(offset), found);
            assertTrue(ms < 3_000, "a save answers the held fetch at once; the lookup took " + ms + " ms");
        }
    }
}
