package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.platform.json.Json;

/** A session as a log of a snapshot and deltas, on a real broker: what a run writes, and what a replica reads back. */
class SessionLogTest {
    private static final int STEP_CHARS = 2_000;

    private static String sessionsTopic() {
        String topic = "sessions-log-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 2, true, Topics.SESSION_MAX_MESSAGE_BYTES)));
        return topic;
    }

    /** Text that compression cannot shrink, so record sizes are the session's. */
    private static String incompressible(int chars, int seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append((char) ('!' + random.nextInt(90)));
        }
        return sb.toString();
    }

    /** Every record of the topic, in partition order: key, value (null for a tombstone). */
    private static List<ConsumerRecord<String, byte[]>> records(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(all);
            c.seekToBeginning(all);
            Map<TopicPartition, Long> ends = c.endOffsets(all);
            while (all.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static long valueBytes(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().mapToLong(r -> r.value() == null ? 0 : r.value().length).sum();
    }

    @ParameterizedTest(name = "index limit {0}")
    @ValueSource(ints = {KafkaSessionStore.DEFAULT_INDEX_MAX_KEYS, 1})
    void aRunOfManyStepsWritesWhatItAddedAndAnotherReplicaReadsItAll(int readerIndexMaxKeys) {
        // limit 1 switches the reader's key index off: its load scans the partition and must assemble the same log
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        int steps = 120;
        try (KafkaSessionStore writer = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore reader = new KafkaSessionStore(bootstrap, topic, readerIndexMaxKeys)) {
            assertTrue(writer.load("ctx-run").isEmpty());
            Session s = new Session("ctx-run");
            long wholeSaves = 0; // what one whole-session record per save would have written
            for (int i = 0; i < steps; i++) {
                s.messages.add(new ChatMessage.User(i + ":" + incompressible(STEP_CHARS, i)));
                if (i == 60) {
                    s.summary = "the first sixty steps";
                    s.summarizedCount = 40;
                }
                wholeSaves += Json.mapper().valueToTree(s).toString().getBytes(StandardCharsets.UTF_8).length;
                if (i % 3 == 0) {
                    writer.save(s);
                } else {
                    writer.saveSoon(s);
                }
            }
            writer.save(s);

            Session read = reader.load("ctx-run").orElseThrow();
            assertEquals(steps, read.messages.size());
            for (int i = 0; i < steps; i++) {
                assertEquals(i + ":" + incompressible(STEP_CHARS, i), ((ChatMessage.User) read.messages.get(i)).text());
            }
            assertEquals("the first sixty steps", read.summary, "a delta carries the session's other fields");
            assertEquals(40, read.summarizedCount);

            List<ConsumerRecord<String, byte[]>> records = records(topic);
            long finalSize = Json.mapper().valueToTree(s).toString().getBytes(StandardCharsets.UTF_8).length;
            long written = valueBytes(records);
            // one whole session per save would be about steps/2 times the final size (O(n^2)); a log stays O(n)
            assertTrue(written < 4 * finalSize, "wrote " + written + " bytes for a " + finalSize + "-byte session");
            assertTrue(written * 10 < wholeSaves, "wrote " + written + " bytes, whole sessions would be " + wholeSaves);
            System.out.printf("session log: %d steps, final session %d bytes, written %d bytes (whole-session saves: %d)%n",
                    steps, finalSize, written, wholeSaves);
            long snapshots = records.stream().filter(r -> r.key().equals("ctx-run") && r.value() != null).count();
            assertTrue(snapshots >= 2 && snapshots <= 12, snapshots + " snapshots in " + records.size() + " records");
            assertTrue(records.stream().anyMatch(r -> SessionCodec.isDeltaKey(r.key()) && r.value() == null),
                    "a new snapshot tombstones the deltas it replaces");
        }
    }

    @Test
    void aReplicaThatTakesOverContinuesTheLogAndTheFirstSeesItsSteps() {
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaSessionStore a = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore b = new KafkaSessionStore(bootstrap, topic)) {
            Session s = new Session("ctx-move");
            for (int i = 0; i < 10; i++) {
                s.messages.add(new ChatMessage.User("a" + i));
                a.save(s);
            }
            Session atB = b.load("ctx-move").orElseThrow();
            for (int i = 0; i < 5; i++) {
                atB.messages.add(new ChatMessage.User("b" + i));
                b.save(atB);
            }
            Session backAtA = a.load("ctx-move").orElseThrow();
            assertEquals(15, backAtA.messages.size(), "A reads B's deltas although it wrote the snapshot");
            assertEquals("b4", ((ChatMessage.User) backAtA.messages.get(14)).text());
            backAtA.messages.add(new ChatMessage.User("a-again"));
            a.save(backAtA);
            Session last = b.load("ctx-move").orElseThrow();
            assertEquals(16, last.messages.size());
            assertEquals("a-again", ((ChatMessage.User) last.messages.get(15)).text());
            assertEquals(1, b.list().stream().filter(x -> x.contextId.equals("ctx-move")).count(), "one session listed");
            assertEquals(16, b.list().stream().filter(x -> x.contextId.equals("ctx-move")).findFirst().orElseThrow()
                    .messages.size(), "the list assembles the log too");
        }
    }

    @Test
    void aSessionFromBeforeDeltasLoadsAndADeltaThatDoesNotFitEndsTheLog() throws Exception {
        String topic = sessionsTopic();
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        Session old = new Session("ctx-old");
        old.messages.add(new ChatMessage.User("stored as one whole session"));
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, "ctx-old", Json.mapper().writeValueAsBytes(old))).get();
        }
        try (KafkaSessionStore store = new KafkaSessionStore(bootstrap, topic);
                KafkaSessionStore other = new KafkaSessionStore(bootstrap, topic)) {
            Session loaded = store.load("ctx-old").orElseThrow();
            assertEquals(1, loaded.messages.size());
            loaded.messages.add(new ChatMessage.User("second"));
            store.save(loaded); // a snapshot with an epoch: the old record has none to follow
            List<ConsumerRecord<String, byte[]>> records = records(topic);
            ConsumerRecord<String, byte[]> latest = records.get(records.size() - 1);
            assertEquals("ctx-old", latest.key());
            String epoch = SessionCodec.decodeEpoch(latest.value());
            assertTrue(epoch != null && !epoch.isBlank(), "the new snapshot names its epoch");

            // a delta of that epoch that does not start where the snapshot ends (a lost branch): ignored
            Session stray = new Session("ctx-old");
            stray.messages.add(new ChatMessage.User("x"));
            stray.messages.add(new ChatMessage.User("y"));
            stray.messages.add(new ChatMessage.User("z"));
            stray.messages.add(new ChatMessage.User("from a lost branch"));
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap), new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topic, latest.partition(), SessionCodec.deltaKey("ctx-old", epoch, 1),
                        SessionCodec.encodeDelta(stray, 3))).get();
            }
            Session read = other.load("ctx-old").orElseThrow();
            assertEquals(List.of("stored as one whole session", "second"),
                    read.messages.stream().map(m -> ((ChatMessage.User) m).text()).toList());
            read.messages.add(new ChatMessage.User("third"));
            other.save(read);
            List<ConsumerRecord<String, byte[]>> after = records(topic);
            assertEquals("ctx-old", after.get(after.size() - 1).key(), "after a gap the next save is a snapshot");
            assertEquals(3, store.load("ctx-old").orElseThrow().messages.size());
        }
    }

    @Test
    void aDeltaCarriesEveryFieldOfTheSession() {
        // a field added to Session must be carried by a delta (SessionCodec.copyAllButMessages) and set here
        assertEquals(List.of("changesDigest", "contextId", "messages", "plan", "summarizedCount", "summary", "tasks",
                "todos", "updatedAt", "workspaceEgress", "workspaceNote"), Arrays.stream(Session.class.getFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers())).map(java.lang.reflect.Field::getName)
                .sorted().toList());
        Session base = new Session("c");
        base.messages.add(new ChatMessage.User("one"));
        Session later = new Session("c");
        later.messages.add(base.messages.get(0));
        later.messages.add(new ChatMessage.Assistant("two", List.of()));
        later.summary = "so far";
        later.summarizedCount = 1;
        TaskProgress task = new TaskProgress();
        task.taskId = "t1";
        task.model = "m";
        later.tasks.put("t1", task);
        later.todos.add(new Session.Todo("t", "write it", "pending", "high"));
        later.plan = new Session.Plan("goal", List.of("a"), List.of(true));
        later.updatedAt = java.time.Instant.parse("2026-12-04T21:00:00Z");
        later.workspaceEgress = true;
        later.changesDigest = "abc";
        later.workspaceNote = "The workspace is a git checkout of a new repository.";
        task.workspacePending = true;
        task.workspaceCalls = 2;
        assertTrue(SessionCodec.apply(base, SessionCodec.encodeDelta(later, 1)));
        assertEquals(Json.mapper().valueToTree(later), Json.mapper().valueToTree(base));
    }

    @Test
    void aDeltaIsTheSessionWithTheMessagesFromWhereItFollowsOn() throws Exception {
        Session later = new Session("c");
        later.messages.add(new ChatMessage.User("one"));
        later.messages.add(new ChatMessage.Assistant("two \"quoted\" é", List.of()));
        later.todos.add(new Session.Todo("t", "write it", "pending", "high"));
        later.updatedAt = java.time.Instant.parse("2026-12-04T21:00:00Z");
        // what the delta held when it was built as a tree: the session's fields, its messages from 1 on, the index
        com.fasterxml.jackson.databind.node.ObjectNode expected = Json.mapper().valueToTree(later);
        ((com.fasterxml.jackson.databind.node.ArrayNode) expected.get("messages")).remove(0);
        expected.put("messages_from", 1);
        byte[] delta = SessionCodec.encodeDelta(later, 1);
        assertEquals(expected, Json.mapper().readTree(delta));
        assertTrue(new String(delta, java.nio.charset.StandardCharsets.UTF_8).startsWith("{\"messages_from\":1,\""),
                new String(delta, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aDeltaIsRefusedByASessionItDoesNotFollow() {
        Session base = new Session("c");
        base.messages.add(new ChatMessage.User("one"));
        Session later = new Session("c");
        later.messages.add(new ChatMessage.User("one"));
        later.messages.add(new ChatMessage.User("two"));
        later.todos.add(new Session.Todo("t", "write it", "pending", "high"));
        byte[] delta = SessionCodec.encodeDelta(later, 1);
        Session empty = new Session("c");
        assertTrue(!SessionCodec.apply(empty, delta), "starts at message 1, the session has none");
        assertEquals(0, empty.messages.size());
        assertTrue(SessionCodec.apply(base, delta));
        assertEquals(2, base.messages.size());
        assertEquals("write it", base.todos.get(0).content());
        assertNull(SessionCodec.decodeEpoch(SessionCodec.encodeDelta(later, 0)), "a delta is not a snapshot");
    }
}
