package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.EncodedJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.support.Await;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Issue 19 item 1 for the tasks.state writer's thread: an OutOfMemoryError while encoding a large task ended it, and
 * then nothing was written, no reader position became durable (nothing committed) and readiness stayed UP. Now the
 * writer says why it died (readiness DOWN), writes again after its delay (the task it died on first), and the
 * positions behind that task become durable. Real broker; the Error is thrown where the task's record is serialized,
 * on the writer's thread.
 */
class TaskStateWriterRestartTest {

    @Test
    void aWriterKilledByAnOutOfMemoryErrorSaysWhyAndWritesAgain() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TaskTopics.ensure(bootstrap, 4);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String poison = "poison-" + run;
        AtomicBoolean struck = new AtomicBoolean();
        ContractSerializer json = new ContractSerializer();
        TopicPartition events = new TopicPartition(Topics.TASKS_EVENTS, 0);
        try (KafkaProducer<String, Object> producer = KafkaClients.forBootstrap(bootstrap).producer(
                "state-writer-restart-" + run, new StringSerializer(), (topic, data) -> {
                    // the state record carries the task already encoded (TaskJsonMemo): poisoned by its bytes
                    if (data instanceof EncodedJson e && new String(e.json(), StandardCharsets.UTF_8)
                            .contains("\"id\":\"" + poison + "\"") && struck.compareAndSet(false, true)) {
                        throw new OutOfMemoryError("Java heap space (injected)");
                    }
                    return json.serialize(topic, data);
                });
                TaskStateWriter writer = new TaskStateWriter(producer, "restart-" + run, Duration.ZERO,
                        Duration.ofMillis(800))) {
            writer.offer(task(poison), 10);
            writer.mark(Map.of(events, new OffsetAndMetadata(11)));
            Await.until(writer::failure, f -> f.isPresent(), Duration.ofSeconds(20), "the writer died");
            assertTrue(writer.failure().orElseThrow().contains("OutOfMemoryError"), writer.failure().toString());
            assertEquals(Map.of(), writer.durable(), "nothing behind the unwritten task is durable");

            String after = "after-" + run;
            writer.offer(task(after), 12);
            writer.mark(Map.of(events, new OffsetAndMetadata(13)));
            assertTrue(writer.awaitWritten(Duration.ofSeconds(30)), "written again after the restart");
            assertFalse(writer.failure().isPresent(), "healthy once a write went through");
            assertEquals(1, writer.restarts());
            Await.until(writer::durable, d -> d.equals(Map.of(events, new OffsetAndMetadata(13))),
                    Duration.ofSeconds(20), "the positions become durable");
            assertEquals(2, writer.recordsWritten());
        }
        List<Task> states = TestReplica.stateRecords(bootstrap, "state-restart-reader-" + run, poison);
        assertEquals(1, states.size(), "the task the writer died on is on tasks.state: " + states);
    }

    private static Task task(String id) {
        return new Task(id, "ctx-" + id, new TaskStatus(TaskState.COMPLETED, null, Instant.now()), List.of(),
                List.of(), Map.of(), null);
    }
}
