package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.support.Await;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Issue 18: at most one {@code tasks.state} record per change that matters. A task that ends within the hold costs
 * one record (its end), a settled task is written at the reader's next mark, a task still working only after the
 * hold, and a mark's positions become durable (committable) only once every task handed over before it is written.
 * Real broker; the records are read back from the topic.
 */
class TaskStateWriterTest {
    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final TopicPartition events = new TopicPartition(Topics.TASKS_EVENTS, 0);
    private KafkaProducer<String, Object> producer;

    @BeforeEach
    void producer() {
        TaskTopics.ensure(bootstrap, 4);
        producer = KafkaClients.forBootstrap(bootstrap).producer("state-writer-test-" + run, new StringSerializer(),
                new ContractSerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    private static Task task(String id, TaskState state) {
        return new Task(id, "ctx-" + id, new TaskStatus(state, null, Instant.now()), List.of(), List.of(), Map.of(),
                null);
    }

    private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
        return Map.of(tp, new OffsetAndMetadata(offset));
    }

    @Test
    void aTaskThatEndsWithinTheHoldCostsOneRecordWrittenAtTheNextMark() throws Exception {
        String id = "quick-" + run;
        try (TaskStateWriter writer = new TaskStateWriter(producer, "test-" + run, Duration.ofSeconds(30))) {
            writer.offer(task(id, TaskState.SUBMITTED), 1); // the request thread's read-your-writes
            writer.mark(at(events, 2));
            writer.offer(task(id, TaskState.WORKING), 2);
            writer.mark(at(events, 3));
            Thread.sleep(300);
            assertEquals(0, writer.recordsWritten(), "submitted and working are held for a later change");
            assertEquals(Map.of(), writer.durable(), "no position is durable while its task waits unwritten");
            writer.offer(task(id, TaskState.WORKING), 3);
            writer.offer(task(id, TaskState.COMPLETED), 4);
            writer.mark(at(events, 5));
            Await.until(writer::durable, d -> d.equals(at(events, 5)), Duration.ofSeconds(30),
                    "the positions after the end become durable once it is written");
            assertEquals(1, writer.recordsWritten());
        }
        List<Task> states = stateRecords(id);
        assertEquals(1, states.size(), "one record for four changes: " + states);
        assertEquals(TaskState.COMPLETED, states.get(0).status().state());
    }

    @Test
    void aTaskStillWorkingIsWrittenAfterTheHoldAndHoldsBackOnlyTheMarksAfterIt() throws Exception {
        String done = "done-" + run;
        String working = "working-" + run;
        String waiting = "waiting-" + run;
        try (TaskStateWriter writer = new TaskStateWriter(producer, "test-" + run, Duration.ofMillis(1500))) {
            writer.offer(task(done, TaskState.COMPLETED), 10);
            writer.mark(at(events, 11));
            Await.until(writer::durable, d -> d.equals(at(events, 11)), Duration.ofSeconds(30),
                    "a mark after a settled task only");
            long before = System.nanoTime();
            writer.offer(task(working, TaskState.WORKING), 11);
            writer.offer(task(waiting, TaskState.INPUT_REQUIRED), 12);
            writer.mark(at(events, 13));
            Await.until(writer::recordsWritten, n -> n == 2, Duration.ofSeconds(30),
                    "the task waiting for input is written at the mark");
            assertEquals(Map.of(), writer.durable(), "the working task before the mark is not written yet");
            Await.until(writer::durable, d -> d.equals(at(events, 13)), Duration.ofSeconds(30),
                    "durable once the working task's hold ended");
            long waited = (System.nanoTime() - before) / 1_000_000;
            assertTrue(waited >= 1400, "the working task was held " + waited + " ms, not 1500");
            assertEquals(3, writer.recordsWritten());
        }
        assertEquals(List.of(TaskState.WORKING), stateRecords(working).stream().map(t -> t.status().state())
                .toList());
        assertEquals(List.of(TaskState.INPUT_REQUIRED), stateRecords(waiting).stream()
                .map(t -> t.status().state()).toList());
    }

    @Test
    void awaitWrittenAndCloseWriteHeldTasksAtOnce() throws Exception {
        String a = "held-a-" + run;
        String b = "held-b-" + run;
        TaskStateWriter writer = new TaskStateWriter(producer, "test-" + run, Duration.ofMinutes(10));
        try {
            writer.offer(task(a, TaskState.WORKING), 20);
            assertTrue(writer.awaitWritten(Duration.ofSeconds(30)), "a flush does not wait out the hold");
            assertEquals(1, writer.recordsWritten());
            writer.offer(task(b, TaskState.SUBMITTED), 21);
        } finally {
            writer.close();
        }
        assertEquals(2, writer.recordsWritten(), "close writes what it held");
        assertEquals(1, stateRecords(b).size());
    }

    private List<Task> stateRecords(String taskId) {
        return TestReplica.stateRecords(bootstrap, "state-reader-" + run, taskId);
    }
}
