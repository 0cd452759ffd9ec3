package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.InMemoryPushConfigStore;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.UrlPolicy;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ConsumerPolls;
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
        Duration skipEvery = Duration.ofSeconds(2);
        push.idlePace(skipEvery, skipEvery);
        try (PushReceiver receiver = new PushReceiver(0)) {
            push.start(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), new LoopHealth(),
                    "idle-" + UUID.randomUUID(), true, "push-idle-test-" + UUID.randomUUID());
            for (int i = 0; i < 200; i++) {
                publish("nobody-" + i, TaskState.WORKING);
            }
            Thread.sleep(3 * skipEvery.toMillis()); // a reading reader fetches them within 100 ms
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

    @Test
    void anAnswerWhoseFirstChunksCameBeforeTheConfigIsDeliveredWholeFromTheFoldedTask() throws Exception {
        InMemoryPushConfigStore store = new InMemoryPushConfigStore();
        PushDispatcher push = new PushDispatcher(store, (item, version) -> item instanceof StreamEvent.StatusUpdate u
                ? "{\"text\":\"" + ((Part.Text) u.status().message().parts().get(0)).text() + "\"}"
                : "{\"other\":true}", new UrlPolicy(true), 3, Duration.ofMillis(50), Duration.ofSeconds(5));
        Duration skipEvery = Duration.ofSeconds(1);
        push.idlePace(skipEvery, skipEvery);
        String task = "late-config-" + UUID.randomUUID();
        String ctx = "ctx-" + task;
        String answer = Artifact.answerId(task);
        // the gateway's fold read every chunk (the test's stand-in for its task view)
        push.foldedTasks(id -> id.equals(task) ? Optional.of(new Task(task, ctx, TaskStatus.of(TaskState.WORKING),
                List.of(new Artifact(answer, Artifact.ANSWER, null, List.of(Part.Text.of("Hello, wor")), null,
                        Map.of())), null, null, null)) : Optional.empty());
        try (PushReceiver receiver = new PushReceiver(0)) {
            push.start(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), new LoopHealth(),
                    "late-" + UUID.randomUUID(), true, "push-late-test-" + UUID.randomUUID());
            events.publish(TaskEvent.ArtifactAdded.textChunk(task, ctx, "worker-1", answer, Artifact.ANSWER,
                    "Hello, ", 0, 1));
            Thread.sleep(3 * skipEvery.toMillis()); // skipped ahead past the first chunk: no config then
            store.put(new PushConfig(task, "c1", receiver.url(), null, null, null), "1.0").get();
            events.publish(TaskEvent.ArtifactAdded.textChunk(task, ctx, "worker-1", answer, Artifact.ANSWER, "wor",
                    7, 1));
            Message done = new Message(UUID.randomUUID().toString(), Role.AGENT, List.of(), ctx, task, null,
                    null, null);
            events.publish(new TaskEvent.StatusChanged(task, ctx, "worker-1",
                    new TaskStatus(TaskState.COMPLETED, done, Instant.now()), null, Map.of(), null, Instant.now(),
                    new ArtifactClose(answer, Artifact.ANSWER, null, "ld", 10, true)));
            Await.until(() -> receiver.received.stream().filter(r -> r.body().has("text")).count(), n -> n >= 1,
                    Duration.ofSeconds(30), "the completed status's delivery");
            // this reader saw "wor" and "ld" only: before the folded task was asked, the message was "world"
            assertEquals(List.of("Hello, world"), receiver.received.stream().filter(r -> r.body().has("text"))
                    .map(r -> r.body().get("text").asText()).toList());
        } finally {
            push.close();
        }
    }

    @Test
    void theIdleReaderSleepsWithoutPollingAndAConfigStoredMeanwhileIsDeliveredWithoutWaitingForTheNextSkip()
            throws Exception {
        InMemoryPushConfigStore store = new InMemoryPushConfigStore();
        PushDispatcher push = new PushDispatcher(store, (event, version) -> "{\"state\":\""
                + event.getClass().getSimpleName() + "\"}", new UrlPolicy(true), 3, Duration.ofMillis(50),
                Duration.ofSeconds(5));
        Duration skipEvery = Duration.ofSeconds(60); // far longer than any delivery below may take
        push.idlePace(skipEvery, skipEvery);
        String instance = "asleep-" + UUID.randomUUID();
        try (PushReceiver receiver = new PushReceiver(0)) {
            push.start(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), new LoopHealth(), instance,
                    true, "push-asleep-test-" + UUID.randomUUID());
            String client = "gateway-" + instance + "-push";
            // it joined its group and skipped ahead, then sleeps: a reader that polled every 200 ms never shows 3 s
            Await.until(() -> ConsumerPolls.lastPollSecondsAgo(client), ago -> ago >= 3, Duration.ofSeconds(60),
                    "three seconds without a poll");

            String task = "woken-" + UUID.randomUUID();
            long t0 = System.nanoTime();
            store.put(new PushConfig(task, "c1", receiver.url(), null, null, null), "1.0").get();
            publish(task, TaskState.COMPLETED);
            Await.until(receiver::calls, n -> n >= 1, skipEvery, "the delivery after the config");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("push: config stored while the reader slept -> delivered in %d ms%n", millis);
            // the store woke the reader: the next skip (and the sleep's end) is a minute away
            assertTrue(millis < 10_000, "delivered " + millis + " ms after the config: the reader was not woken");
            assertEquals(1, receiver.calls());

            // the last config gone, it skips ahead and sleeps again; asleep, it closes at once
            store.delete(task, "c1").get();
            Await.until(() -> ConsumerPolls.lastPollSecondsAgo(client), ago -> ago >= 2, Duration.ofSeconds(60),
                    "two seconds without a poll after the config's deletion");
            long c0 = System.nanoTime();
            push.close();
            long closing = (System.nanoTime() - c0) / 1_000_000;
            assertTrue(closing < 5_000, "closing the sleeping reader took " + closing + " ms");
        } finally {
            push.close();
        }
    }
}
