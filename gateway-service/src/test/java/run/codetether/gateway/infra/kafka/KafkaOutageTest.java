package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;

/**
 * Issue 19 item 5: a SendMessage during a Kafka outage hung 20 s. A client's write now gives up after the send
 * timeout (default 2 s) with a retryable UNAVAILABLE carrying a retry hint. The broker here is really stopped (its
 * own, not the shared one).
 */
class KafkaOutageTest {

    @Test
    void aWriteDuringAnOutageFailsFastWithARetryableError() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(1);
        try (KafkaTaskLog log = new KafkaTaskLog(broker.bootstrapServers(), "outage", Duration.ofSeconds(2))) {
            Instant now = Instant.now();
            TaskEvent event = new TaskEvent.StatusChanged("t1", "c1", "gateway", new TaskStatus(TaskState.SUBMITTED,
                    null, now), Progress.NONE, Map.of(), new Task.Submission("alice", null, null), now);
            log.appendEvents("t1", List.of(event)).join(); // metadata known, as on a gateway that served before
            broker.close();

            long start = System.nanoTime();
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> log.appendEvents("t2", List.of(event)).join());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            A2AException e = assertInstanceOf(A2AException.class, failed.getCause());
            assertEquals(A2AError.UNAVAILABLE, e.error());
            assertTrue(e.retryAfterSeconds() > 0, "a retry hint");
            assertTrue(e.getMessage().contains("retry after"), e.getMessage());
            assertTrue(took.compareTo(Duration.ofMillis(3_500)) < 0, "failed after " + took + ", not within ~2 s");
        } finally {
            broker.close();
        }
    }
}
