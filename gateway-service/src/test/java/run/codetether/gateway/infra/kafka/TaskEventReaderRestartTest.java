package run.codetether.gateway.infra.kafka;

import static run.codetether.gateway.infra.kafka.TestEvents.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.support.Await;

/**
 * Issue 19 item 1: the thread that applies task events died of an OutOfMemoryError and readiness stayed UP while
 * every task stayed SUBMITTED. Now the reader's death turns readiness DOWN, and it is restarted from the committed
 * position, after which it folds events again and readiness is UP. The failure is injected where an OOM struck:
 * inside the fold of one event, on the reader thread.
 */
class TaskEventReaderRestartTest {

    @Test
    void aReaderKilledByAnOutOfMemoryErrorTurnsReadinessDownAndIsRestarted() throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        TaskTopics.ensure(bootstrap, 4);
        String instance = "restart-" + UUID.randomUUID();
        String poison = "poison-" + UUID.randomUUID();
        AtomicBoolean struck = new AtomicBoolean();
        TaskView view = new TaskView();
        try (KafkaTaskLog log = new KafkaTaskLog(bootstrap, instance);
                KafkaTaskStateSync sync = new KafkaTaskStateSync(bootstrap, instance, view, log.stateWriter(),
                        (event, task) -> {
                            if (event.taskId().equals(poison) && struck.compareAndSet(false, true)) {
                                throw new OutOfMemoryError("Java heap space (injected)");
                            }
                        }, Duration.ofMillis(500))) {
            sync.start(Duration.ofSeconds(60));
            assertTrue(sync.healthy(), "ready once caught up");

            log.appendEvents(poison, List.of(submitted(poison, "alice", null))).join();
            Await.until(sync::failure, f -> f.isPresent(), Duration.ofSeconds(20), "the reader died");
            assertFalse(sync.healthy(), "a dead reader is not ready");
            assertTrue(sync.failure().orElseThrow().contains("OutOfMemoryError"), sync.failure().toString());

            Await.until(sync::healthy, ok -> ok, Duration.ofSeconds(20), "the reader restarted");
            assertEquals(1, sync.restarts());
            String after = "after-" + UUID.randomUUID();
            log.appendEvents(after, List.of(submitted(after, "alice", null))).join();
            Await.until(() -> view.get(after), t -> t.isPresent(), Duration.ofSeconds(20),
                    "the restarted reader folds new events");
            // the restarted reader may fetch the other partitions first: wait for it, not for an order
            Await.until(() -> view.get(poison), t -> t.isPresent(), Duration.ofSeconds(20),
                    "the event the reader died on is folded");
            assertTrue(sync.healthy());
        }
    }
}
