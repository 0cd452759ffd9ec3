package run.codetether.gateway.infra.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.domain.InMemoryTaskStore;
import run.codetether.gateway.domain.dashboard.BoardWatchers;
import run.codetether.gateway.domain.dashboard.TaskBoard;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.gateway.domain.dashboard.TaskSummary;
import run.codetether.gateway.domain.dashboard.Timeline;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ConsumerPolls;

/**
 * The dashboard's read model on a real broker, as a freshly started replica builds it: recent tasks from the
 * replayed events (with their usage), older ones from the state topic; and a task's timeline read back from its
 * partition.
 */
class KafkaBoardFeedTest {
    static String bootstrap;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void broker() {
        bootstrap = SharedKafkaBroker.bootstrapServers();
        SharedKafkaBroker.get().createPlatformTopics(4);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static void publish(TaskEvent e) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, e.taskId(), ContractJson.write(e))).get(10, TimeUnit.SECONDS);
    }

    static TaskEvent submitted(String id, String owner) {
        return new TaskEvent.StatusChanged(id, "ctx-" + id, "gateway", new TaskStatus(TaskState.SUBMITTED, null,
                Instant.now()), Progress.NONE, Map.of(), new Task.Submission(owner, null, null), Instant.now());
    }

    static TaskEvent status(String id, TaskState state, Map<String, Object> meta) {
        Message m = Message.agentText(UUID.randomUUID().toString(), "ctx-" + id, id, state.name().toLowerCase());
        return new TaskEvent.StatusChanged(id, "ctx-" + id, "worker-1", new TaskStatus(state, m, Instant.now()), meta,
                Instant.now());
    }

    @Test
    void aNewReplicaRebuildsRecentSummariesWithUsageAndOlderOnesFromTheStateTopic() throws Exception {
        String recent = "recent-" + UUID.randomUUID();
        String older = "older-" + UUID.randomUUID();
        publish(submitted(recent, "alice"));
        publish(status(recent, TaskState.WORKING, Map.of("provider", "openai", "model", "gpt", "tool", "bash",
                "call_id", "c1")));
        publish(status(recent, TaskState.COMPLETED, Map.of("usage", Map.of("tokens_in", 1200, "tokens_out", 80,
                "cost_usd", 0.012, "priced", true))));
        producer.send(new ProducerRecord<>(Topics.TASKS_STATE, older, ContractJson.write(new Task(older, "ctx",
                new TaskStatus(TaskState.FAILED, null, Instant.now()), null, null, Map.of(), new Task.Submission("bob", null, null)))))
                .get(10, TimeUnit.SECONDS);

        TaskBoard board = new TaskBoard(1000);
        try (KafkaBoardFeed feed = new KafkaBoardFeed(bootstrap, "test-" + UUID.randomUUID(), board, 5000)) {
            feed.start();
            TaskSummary r = Await.until(() -> board.get(recent).orElse(null), s -> s != null && s.ended(),
                    Duration.ofSeconds(30), "the replayed task");
            assertEquals("alice", r.owner());
            assertEquals("completed", r.state());
            assertEquals(1200, r.tokensIn());
            assertEquals(0.012, r.costUsd(), 1e-9);
            assertEquals("openai", r.provider());
            assertTrue(r.partition() >= 0 && r.firstOffset() >= 0);
            TaskSummary o = Await.until(() -> board.get(older).orElse(null), s -> s != null, Duration.ofSeconds(30),
                    "the restored task");
            assertEquals("bob", o.owner());
            assertEquals("failed", o.state());

            // a task that starts while the replica runs is folded live
            String live = "live-" + UUID.randomUUID();
            publish(submitted(live, "alice"));
            Await.until(() -> board.get(live).isPresent(), x -> x, Duration.ofSeconds(30), "the live task");

            Timeline t = new KafkaTimelineReader(bootstrap, "test", 50_000, 1).read(recent, r);
            assertFalse(t.truncated());
            assertEquals(List.of("SUBMITTED", "WORKING", "COMPLETED"), t.entries().stream()
                    .map(e -> ((TaskEvent.StatusChanged) e.event()).status().state().name()).toList());
        }
    }

    @Test
    void aTimelineReadStopsAtItsScanLimitAndSaysSo() throws Exception {
        String id = "long-" + UUID.randomUUID();
        publish(submitted(id, "alice"));
        for (int i = 0; i < 30; i++) {
            publish(status(id, TaskState.WORKING, Map.of("step", i)));
        }
        Timeline t = new KafkaTimelineReader(bootstrap, "test", 10, 1).read(id, null);
        assertTrue(t.truncated(), "without the task's first offset and with a 10-record limit the read says so");
        assertTrue(t.scanned() <= 10);
    }

    @Test
    void whileNobodyWatchesNoEventIsFoldedAndAViewerGetsTheBoardCaughtUpFromTheStore() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        TaskBoard board = new TaskBoard(1000);
        BoardWatchers watchers = new BoardWatchers(Duration.ofSeconds(60), board::subscribers, clock::get);
        InMemoryTaskStore store = new InMemoryTaskStore();
        watchers.seen(); // watched from the start
        String instance = "idle-" + UUID.randomUUID();
        String reader = "gateway-" + instance + "-dashboard-events";
        try (KafkaBoardFeed feed = new KafkaBoardFeed(KafkaClients.forBootstrap(bootstrap), instance,
                board, 5000, watchers, store)) {
            feed.start();
            String before = "before-" + UUID.randomUUID();
            publish(submitted(before, "alice"));
            Await.until(() -> board.get(before).isPresent(), x -> x, Duration.ofSeconds(30), "the watched task");

            clock.addAndGet(61_000); // a minute without a request
            Await.until(watchers::behind, x -> x, Duration.ofSeconds(30), "the feed's pause");
            String unseen = "unseen-" + UUID.randomUUID();
            publish(submitted(unseen, "bob"));
            publish(status(unseen, TaskState.COMPLETED, Map.of()));
            publish(status(before, TaskState.COMPLETED, Map.of()));
            Thread.sleep(3_000); // a reading feed folds them within 250 ms
            assertTrue(board.get(unseen).isEmpty(), "paused: the feed folded an event while nobody watched");
            // a paused reader polled every 500 ms (ten wake-ups a second for nothing); it sleeps now
            assertTrue(ConsumerPolls.quietFor(reader, 2), "the paused feed polled "
                    + ConsumerPolls.lastPollSecondsAgo(reader) + " s ago");
            assertNotNull(board.stats(x -> true).pausedAt(), "the rates say they are not counted");
            assertEquals("submitted", board.get(before).orElseThrow().state());

            // what the gateway's own fold stored meanwhile is what the viewer sees first
            store.put(new Task(unseen, "ctx-" + unseen, new TaskStatus(TaskState.COMPLETED, null, Instant.now()),
                    null, null, Map.of(), new Task.Submission("bob", null, null)), 1);
            store.put(new Task(before, "ctx-" + before, new TaskStatus(TaskState.COMPLETED, null, Instant.now()),
                    null, null, Map.of(), new Task.Submission("alice", null, null)), 2);
            watchers.seen();
            // the request wakes the sleeping reader: well before its longest sleep ends
            assertTrue(watchers.awaitCurrent(KafkaBoardFeed.PAUSED_WAIT.dividedBy(3)), "the feed caught up");
            assertEquals("completed", board.get(unseen).orElseThrow().state());
            assertEquals("bob", board.get(unseen).orElseThrow().owner());
            assertEquals("completed", board.get(before).orElseThrow().state());
            TaskBoard.Stats resumed = board.stats(x -> true);
            assertNull(resumed.pausedAt());
            assertNotNull(resumed.resumedAt(), "the rates say since when they count");

            String after = "after-" + UUID.randomUUID();
            publish(submitted(after, "alice"));
            Await.until(() -> board.get(after).isPresent(), x -> x, Duration.ofSeconds(30), "a task after the pause");
        }
    }

    @Test
    void aReplicaNobodyWatchesStartsPausedAndItsFirstViewerGetsTheBoardFromTheStore() throws Exception {
        String old = "old-" + UUID.randomUUID();
        publish(submitted(old, "carol")); // in the replay window and in tasks.state's place: the store
        publish(status(old, TaskState.COMPLETED, Map.of()));
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        TaskBoard board = new TaskBoard(1000);
        BoardWatchers watchers = new BoardWatchers(Duration.ofSeconds(60), board::subscribers, clock::get);
        InMemoryTaskStore store = new InMemoryTaskStore();
        store.put(new Task(old, "ctx-" + old, new TaskStatus(TaskState.COMPLETED, null, Instant.now()), null, null,
                Map.of(), new Task.Submission("carol", null, null)), 1);
        String instance = "cold-" + UUID.randomUUID();
        try (KafkaBoardFeed feed = new KafkaBoardFeed(KafkaClients.forBootstrap(bootstrap), instance,
                board, 5000, watchers, store)) {
            feed.start();
            Await.until(watchers::behind, x -> x, Duration.ofSeconds(30), "the feed paused from its start");
            String unseen = "unseen-" + UUID.randomUUID();
            publish(submitted(unseen, "bob"));
            Thread.sleep(2_000); // a reading feed folds it within 250 ms
            assertEquals(0, board.size(), "nothing replayed, folded or read from tasks.state while nobody watched");
            assertTrue(ConsumerPolls.quietFor("gateway-" + instance + "-dashboard-events", 2),
                    "a feed paused from its start sleeps instead of polling");
            assertNotNull(board.stats(x -> true).pausedAt(), "a replica that starts paused says since when its rates are not counted");

            watchers.seen();
            assertTrue(watchers.awaitCurrent(Duration.ofSeconds(30)), "the feed caught up for its first viewer");
            assertEquals("completed", board.get(old).orElseThrow().state(), "restored from the store");
            assertEquals("carol", board.get(old).orElseThrow().owner());
            assertNull(board.stats(x -> true).pausedAt());

            String after = "after-" + UUID.randomUUID();
            publish(submitted(after, "alice"));
            Await.until(() -> board.get(after).isPresent(), x -> x, Duration.ofSeconds(30), "a task after the start");
        }
    }

    @Test
    void aFeedAsleepForWantOfAViewerClosesAtOnce() throws Exception {
        TaskBoard board = new TaskBoard(1000);
        BoardWatchers watchers = new BoardWatchers(Duration.ofSeconds(60), board::subscribers,
                System::currentTimeMillis);
        KafkaBoardFeed feed = new KafkaBoardFeed(KafkaClients.forBootstrap(bootstrap), "asleep-" + UUID.randomUUID(),
                board, 5000, watchers, new InMemoryTaskStore());
        feed.start();
        Await.until(watchers::behind, x -> x, Duration.ofSeconds(30), "the feed paused from its start");
        Thread.sleep(500);
        long t0 = System.nanoTime();
        feed.close();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        // the loop's own close waits 15 s for a thread that does not stop before it interrupts it
        assertTrue(millis < 5_000, "closing a sleeping feed took " + millis + " ms");
    }
}
