package run.codetether.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.WireStack;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 18: every record one blocking text-only task leaves on the broker, on every topic (the run's events, its
 * session saves, offset commits), listed in the test log so that a new write shows up; the answer itself is written
 * once on {@code tasks.events}: in the final status, since a short answer finished within the first chunk's hold
 * streams no chunk (a longer one goes in its chunks, which the final status closes with the rest of the text). The final status's message names the answer artifact's text instead of repeating
 * it (readers put it back and fold it into the history), and there is no separate history message.
 */
class TextTaskRecordsE2ETest {
    private static final Logger LOG = Logger.getLogger(TextTaskRecordsE2ETest.class);
    static WireStack stack;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // a first-chunk hold no run outlasts: the answer is finished within it however loaded the machine is (with
        // the default 25 ms a scripted answer is too, unless the run stalls between its first text and its end)
        stack = WireStack.start(dir, "records", d -> d.withFirstChunkHold(Duration.ofSeconds(20)), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    record Written(String topic, String key, int bytes, boolean hasAnswer, String what) {}

    private static final java.util.regex.Pattern WHAT = java.util.regex.Pattern.compile(
            "\"(?:type|state|name)\"\\s*:\\s*\"([^\"]{1,40})\"");

    @Test
    void aTextOnlyTaskWritesTwoEventsAndOneSessionRecord() throws Exception {
        String answer = "The answer is " + UUID.randomUUID();
        String ctx = "ctx-records-" + UUID.randomUUID();
        String taskId = "task-records-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()));
                KafkaConsumer<byte[], byte[]> reader = reader()) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            List<TopicPartition> parts = new ArrayList<>();
            topics.forEach(t -> reader.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition()))));
            Map<TopicPartition, Long> before = ends(admin, parts);

            stack.llm.enqueue(Reply.text(answer));
            stack.gateway.send(Commands.start(taskId, ctx, "moonshotai", "Say something"));
            var fin = stack.gateway.awaitFinal(taskId, Duration.ofSeconds(60));
            assertEquals(TaskState.COMPLETED, fin.status().state(), () -> "final: " + fin);

            List<Written> written = readQuiet(admin, reader, before, taskId, ctx, answer);
            Map<String, int[]> perTopic = new HashMap<>();
            StringBuilder log = new StringBuilder("records of one text-only task:");
            for (Written w : written) {
                perTopic.computeIfAbsent(w.topic(), t -> new int[2])[0]++;
                perTopic.get(w.topic())[1] += w.bytes();
                log.append("\n  ").append(w.topic()).append(' ').append(w.key()).append(' ').append(w.bytes())
                        .append(" B ").append(w.what()).append(w.hasAnswer() ? " (the answer)" : "");
            }
            perTopic.forEach((t, n) -> log.append("\n  total ").append(t).append(": ").append(n[0])
                    .append(" records, ").append(n[1]).append(" B"));
            LOG.info(log);
            long answerOnEvents = written.stream().filter(w -> w.topic().equals(Topics.TASKS_EVENTS)
                    && w.hasAnswer()).count();
            assertTrue(answerOnEvents <= 1, "the answer whole on tasks.events at most once\n" + log);
            assertEquals(answer.length(), answerChars(stack.gateway.of(taskId), fin), "the answer's text once on "
                    + "tasks.events: the streamed chunks and the close's rest, not again as the final message\n" + log);
            assertEquals(answer, stack.gateway.messageText(taskId, fin), "its message is the answer artifact's text");
            long events = written.stream().filter(w -> w.topic().equals(Topics.TASKS_EVENTS)).count();
            // issue 18: was 5 from the agent (working, the model turn's status, the chunk, the closing chunk, the
            // final status); the answering turn is reported by the final status, which also closes the artifact;
            // then 3 (working, the answer's one chunk, the final status): an answer finished within the first
            // chunk's hold streams no chunk, the final status carries it whole
            assertTrue(events <= 2, "at most: working, the final status\n" + log);
            long sessions = written.stream().filter(w -> w.topic().equals(Topics.AGENT_SESSIONS)).count();
            assertEquals(1, sessions, "the session saved once, at the task's end (the start and the answer's turn "
                    + "are carried by the end state's save)\n" + log);
        }
    }

    /**
     * Characters of answer text the task's events carry: its artifact's chunks, the final status's close (its rest)
     * and the final status's message text.
     */
    private static int answerChars(List<TaskEvent> events, TaskEvent.StatusChanged end) {
        int chars = 0;
        for (TaskEvent e : events) {
            if (e instanceof TaskEvent.ArtifactAdded a && a.artifact().artifactId().equals(end.finishes().artifactId())) {
                chars += a.artifact().parts().stream().mapToInt(p -> p instanceof Part.Text t ? t.text().length() : 0)
                        .sum();
            }
        }
        return chars + end.finishes().rest().length() + end.status().message().text().length();
    }

    /**
     * End offsets through the admin client: a consumer's own lookup logs a warning for every partition it is not
     * assigned (thousands of lines per run in CI).
     */
    private static Map<TopicPartition, Long> ends(Admin admin, Collection<TopicPartition> parts) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        parts.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(specs).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> reader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The records written since {@code before} that name the task or its context (key or value), read until the
     * end offsets stop moving for 300 ms (the run's last saves are sent without waiting).
     */
    private static List<Written> readQuiet(Admin admin, KafkaConsumer<byte[], byte[]> reader,
            Map<TopicPartition, Long> before, String taskId, String ctx, String answer) throws Exception {
        Map<TopicPartition, Long> ends = ends(admin, before.keySet());
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 300_000_000L) {
            Thread.sleep(20); // the interval of a quiet-period check, not a wait for one event
            Map<TopicPartition, Long> now = ends(admin, before.keySet());
            if (!now.equals(ends)) {
                ends = now;
                quietSince = System.nanoTime();
            }
        }
        Map<TopicPartition, Long> last = ends;
        List<TopicPartition> moved = before.keySet().stream()
                .filter(tp -> !before.get(tp).equals(last.get(tp))).toList();
        reader.assign(moved);
        moved.forEach(tp -> reader.seek(tp, before.get(tp)));
        Map<TopicPartition, Long> stop = reader.endOffsets(moved);
        List<Written> out = new ArrayList<>();
        while (moved.stream().anyMatch(tp -> reader.position(tp) < stop.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1);
                boolean mine = key.contains(taskId) || key.contains(ctx) || value.contains(taskId)
                        || value.contains(ctx) || r.topic().startsWith("__");
                if (mine) {
                    StringBuilder what = new StringBuilder();
                    var m = WHAT.matcher(value);
                    for (int i = 0; i < 3 && m.find(); i++) {
                        what.append(i == 0 ? "" : "/").append(m.group(1));
                    }
                    out.add(new Written(r.topic(), key.length() > 60 ? key.substring(0, 60) : key,
                            r.serializedKeySize() + Math.max(0, r.serializedValueSize()), value.contains(answer),
                            r.value() == null ? "tombstone" : what.toString()));
                }
            }
        }
        return out;
    }
}
