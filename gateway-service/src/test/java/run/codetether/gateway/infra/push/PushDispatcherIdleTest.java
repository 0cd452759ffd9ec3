package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.InMemoryPushConfigStore;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.PushReceiver;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * The push reader on a real broker while no task has a push config (issue 18): it fetches no event at all, and the
 * first config created afterwards still gets its task's next events delivered.
 */
class PushDispatcherIdleTest {
    static StatusEvents events;

    @BeforeAll
    static void broker() {
        events = new StatusEvents();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    static void publish(String taskId, TaskState state) throws Exception {
        events.publish(taskId, state, null);
    }

    @Test
    void withoutAnyConfigNoEventIsFetchedAndTheFirstConfigStillGetsItsTasksNextEvents() throws Exception {
        InMemoryPushConfigStore store = new InMemoryPushConfigStore();
        PushDispatcher push = new PushDispatcher(store, (event, version) -> "{\"state\":\""
                + event.getClass().getSimpleName() + "\"}", new UrlPolicy(true), 3, Duration.ofMillis(50),
                Duration.ofSeconds(5));
        try (PushReceiver receiver = new PushReceiver(0)) {
            push.start(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), new LoopHealth(),
                    "idle-" + UUID.randomUUID(), true, "push-idle-test-" + UUID.randomUUID());
            for (int i = 0; i < 200; i++) {
                publish("nobody-" + i, TaskState.WORKING);
            }
            Thread.sleep(3 * PushDispatcher.SKIP_EVERY.toMillis()); // a reading reader fetches them within 100 ms
            assertEquals(0, push.fetched(), "no config exists: the reader fetched events it could only skip");

            String task = "watched-" + UUID.randomUUID();
            store.put(new PushConfig(task, "c1", receiver.url(), null, null, null), "1.0").get();
            publish(task, TaskState.COMPLETED);
            Await.until(receiver::calls, n -> n >= 1, Duration.ofSeconds(30), "the delivery after the config");
            assertEquals(1, receiver.calls());
            assertTrue(push.fetched() < 200, "the reader resumed after the skipped events, fetched "
                    + push.fetched());
        } finally {
            push.close();
        }
    }
}
