package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.net.LoopbackPorts;

/** The platform's one-shot read against the real in-process broker. */
class ReadToEndTest {
    static KafkaClients clients;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void broker() {
        clients = new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers()));
        producer = clients.producer("read-to-end-test", new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static String topic(int partitions) {
        String t = "read-to-end-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(t, partitions, false)));
        return t;
    }

    static void send(KafkaProducer<String, String> p, String topic, int partition, String... values) throws Exception {
        for (String v : values) {
            p.send(new ProducerRecord<>(topic, partition, v, v)).get(10, TimeUnit.SECONDS);
        }
    }

    static KafkaConsumer<String, String> consumer(KafkaClients kafka) {
        return kafka.consumer("read-to-end-" + UUID.randomUUID(), Optional.empty(), Map.of(),
                new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void anEmptyTopicIsReadAtOnce() {
        String topic = topic(3);
        try (KafkaConsumer<String, String> c = consumer(clients)) {
            long began = System.nanoTime();
            ReadToEnd.Result r = ReadToEnd.of("the empty topic", c, Duration.ofSeconds(30)).topic(topic)
                    .forEach(rec -> { throw new AssertionError("no record expected: " + rec); });
            assertEquals(0, r.records());
            assertFalse(r.stopped());
            assertEquals(Map.of(new TopicPartition(topic, 0), 0L, new TopicPartition(topic, 1), 0L,
                    new TopicPartition(topic, 2), 0L), r.next());
            assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(10), "no waiting on an empty topic");
        }
    }

    @Test
    void everyPartitionIsReadToItsEndInOrderAndNamedStartsAreHonoured() throws Exception {
        String topic = topic(8);
        Set<String> written = new HashSet<>();
        for (int p = 0; p < 8; p++) {
            for (int i = 0; i < 5; i++) {
                String v = p + "-" + i;
                send(producer, topic, p, v);
                written.add(v);
            }
        }
        try (KafkaConsumer<String, String> c = consumer(clients)) {
            List<String> seen = new ArrayList<>();
            ReadToEnd.Result all = ReadToEnd.of("eight partitions", c, Duration.ofSeconds(30)).topic(topic)
                    .forEach(r -> seen.add(r.value()));
            assertEquals(40, all.records());
            assertEquals(written, new HashSet<>(seen));
            for (int p = 0; p < 8; p++) {
                assertEquals(5L, all.next().get(new TopicPartition(topic, p)));
                int at = p;
                List<String> ofP = seen.stream().filter(v -> v.startsWith(at + "-")).toList();
                assertEquals(List.of(p + "-0", p + "-1", p + "-2", p + "-3", p + "-4"), ofP, "in offset order");
            }

            // named offsets for some partitions, the newest two records for the others
            List<String> tail = new ArrayList<>();
            ReadToEnd.of("the tail", c, Duration.ofSeconds(30)).topic(topic)
                    .startAt(Map.of(new TopicPartition(topic, 0), 4L))
                    .startAt(ReadToEnd.Start.last(2))
                    .forEach(r -> tail.add(r.value()));
            assertEquals(1 + 7 * 2, tail.size(), tail.toString());
            assertTrue(tail.contains("0-4") && !tail.contains("0-3") && tail.contains("5-3") && !tail.contains("5-2"));
        }
    }

    @Test
    void aReaderStopsTheReadAndAnUpperBoundIsNotPassed() throws Exception {
        String topic = topic(1);
        TopicPartition tp = new TopicPartition(topic, 0);
        send(producer, topic, 0, "a", "b", "c", "d", "e");
        try (KafkaConsumer<String, String> c = consumer(clients)) {
            List<String> seen = new ArrayList<>();
            ReadToEnd.Result stopped = ReadToEnd.of("until c", c, Duration.ofSeconds(30)).partitions(List.of(tp))
                    .read(r -> {
                        seen.add(r.value());
                        return !r.value().equals("c");
                    });
            assertTrue(stopped.stopped());
            assertEquals(List.of("a", "b", "c"), seen);
            assertEquals(3L, stopped.next().get(tp));

            // the same consumer again, a targeted read: start and bound named, no offsets asked
            List<String> middle = new ArrayList<>();
            ReadToEnd.Result bounded = ReadToEnd.of("offsets 1 and 2", c, Duration.ofSeconds(30))
                    .partitions(List.of(tp)).startAt(Map.of(tp, 1L)).until(Map.of(tp, 3L))
                    .forEach(r -> middle.add(r.value()));
            assertEquals(List.of("b", "c"), middle);
            assertFalse(bounded.stopped());
        }
    }

    @Test
    void aRecordWrittenAfterTheEndSnapshotIsNotAwaited() throws Exception {
        String topic = topic(2);
        send(producer, topic, 0, "before-0");
        send(producer, topic, 1, "before-1");
        try (KafkaConsumer<String, String> c = consumer(clients)) {
            List<String> seen = new ArrayList<>();
            ReadToEnd.Result r = ReadToEnd.of("the topic", c, Duration.ofSeconds(30)).topic(topic).forEach(rec -> {
                if (seen.isEmpty()) {
                    try { // written while the read runs: past the end taken at its start
                        send(producer, topic, 0, "after-0");
                        send(producer, topic, 1, "after-1");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                seen.add(rec.value());
            });
            assertEquals(Set.of("before-0", "before-1"), new HashSet<>(seen), "only what was there at the start");
            assertEquals(2, r.records());
        }
    }

    @Test
    void aDeadlineThatExpiresSaysWhichPartitionStoodWhere() throws Exception {
        String topic = topic(2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        send(producer, topic, 0, "x", "y");
        try (KafkaConsumer<String, String> c = consumer(clients)) {
            // a bound past the log's end stands for records that never come: the read must give up at its deadline
            long began = System.nanoTime();
            ReadToEnd.NotRead e = assertThrows(ReadToEnd.NotRead.class,
                    () -> ReadToEnd.of("the test state", c, Duration.ofSeconds(2)).partitions(List.of(p0, p1))
                            .until(Map.of(p0, 2L, p1, 7L)).forEach(r -> { }));
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertEquals("the test state not read within PT2S: partition " + topic + "-1 at offset 0 of 7",
                    e.getMessage());
            assertTrue(tookMs >= 1_900 && tookMs < 10_000, "gave up at the deadline, took " + tookMs + " ms");
            assertFalse(e.outage(), "the broker answered throughout: a slow read, not an outage (no 503 to retry)");
        }
        try (KafkaConsumer<String, String> c = consumer(clients)) {
            IllegalStateException missing = assertThrows(IllegalStateException.class,
                    () -> ReadToEnd.of("a missing topic", c, Duration.ofSeconds(5)).topic("absent-" + UUID.randomUUID())
                            .forEach(r -> { }));
            assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        }
    }

    @Test
    void aBrokerThatComesUpWithinTheDeadlineIsWaitedFor() throws Exception {
        Path dir = Files.createTempDirectory("read-to-end-late-");
        int port = LoopbackPorts.free();
        int controller = LoopbackPorts.free();
        String topic = "late-" + UUID.randomUUID();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistent(dir, port, controller).start();
        KafkaClients late = new KafkaClients(KafkaSettings.of(broker.bootstrapServers()));
        try {
            broker.createTopics(List.of(new Topics.Spec(topic, 2, false)));
            try (KafkaProducer<String, String> p = late.producer("late", new StringSerializer(),
                    new StringSerializer())) {
                send(p, topic, 0, "one", "two");
                send(p, topic, 1, "three");
            }
            broker.close();
            broker = null;
            CompletableFuture<List<String>> read = new CompletableFuture<>();
            KafkaConsumer<String, String> c = late.consumer("late-reader", Optional.empty(),
                    Map.of(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200"), new StringDeserializer(),
                    new StringDeserializer());
            Thread reader = Thread.ofPlatform().start(() -> {
                try (c) {
                    List<String> seen = new ArrayList<>();
                    ReadToEnd.of("the late topic", c, Duration.ofSeconds(90)).topic(topic).forEach(r -> seen.add(r.value()));
                    read.complete(seen);
                } catch (Throwable t) {
                    read.completeExceptionally(t);
                }
            });
            Thread.sleep(2_000);
            assertFalse(read.isDone(), "no broker yet: the read waits");
            broker = EmbeddedKafkaBroker.persistent(dir, port, controller).start();
            assertEquals(Set.of("one", "two", "three"), new HashSet<>(read.get(90, TimeUnit.SECONDS)));
            reader.join(5_000);
        } finally {
            if (broker != null) {
                broker.close();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
