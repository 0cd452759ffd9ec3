package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.net.LoopbackPorts;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.platform.kafka.LoopHealth;

/**
 * A gateway's cold restore across a broker outage (issue 19): the broker of its own (real, on disk) is stopped while
 * the task state starts and started again on the same port and data, for longer than the start's 3 s look-up
 * timeout. The start waits the outage out and ends ready with every task, read in one restore: before, the first
 * look-up that timed out failed the start, and only a start from scratch (the gateway's whole task state, after a
 * pause) went on.
 */
class TaskStateRestoreOutageTest {
    static final int TASKS = 3_000;
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    Path data;
    Path storeDir;
    int port;
    int controller;
    volatile EmbeddedKafkaBroker broker;

    @BeforeEach
    void brokerWithStoredTasks() throws Exception {
        data = Files.createTempDirectory("codetether-restore-outage-");
        storeDir = Files.createTempDirectory("codetether-restore-outage-store-");
        port = LoopbackPorts.free();
        controller = LoopbackPorts.free();
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start().createPlatformTopics(4);
        try (KafkaProducer<String, byte[]> p = clients().producer("stored-tasks", new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                String id = "task-" + i;
                // a tenth still in progress: the restore then also asks for the group's committed positions
                TaskState state = i % 10 == 0 ? TaskState.WORKING : TaskState.COMPLETED;
                byte[] json = ContractJson.write(new Task(id, "ctx-" + i, TaskStatus.of(state), null, null, null));
                if (i < 4) {
                    // the first to each partition awaited: the new topic's leaders are known before the batches (a
                    // batch sent before them was refused, and its partition lost records out of sequence)
                    p.send(new ProducerRecord<>(Topics.TASKS_STATE, i, id, json)).get(30, TimeUnit.SECONDS);
                } else {
                    sent.add(p.send(new ProducerRecord<>(Topics.TASKS_STATE, id, json)));
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        for (Path dir : new Path[] {data, storeDir}) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    KafkaClients clients() {
        return new KafkaClients(KafkaSettings.of("127.0.0.1:" + port), KafkaClients.DEFAULT_RARE_FETCH_WAIT,
                KafkaClients.DEFAULT_COMMIT_INTERVAL, Duration.ofMinutes(2));
    }

    /** The broker away for longer than the start's timeout, then back on its port and data. */
    void outage() {
        broker.close();
        broker = null;
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(TIMEOUT.plusSeconds(2));
                broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aBrokerStoppedAtTheRestoresLastRecordCostsTheWaitNotARestart() {
        AtomicInteger restored = new AtomicInteger();
        // the last stored task read: the read is done, the start's look-ups after it (the events' end offsets and
        // committed positions) meet the outage
        try (Replica r = new Replica((before, after) -> {
            if (before == null && restored.incrementAndGet() == TASKS) {
                outage();
            }
        })) {
            r.sync.start(TIMEOUT); // before: TimeoutException "Failed to get offsets by times in 3000ms" here
            KafkaTaskStateSync.StartReport report = r.sync.lastStart();
            assertFalse(report.warm(), report.toString());
            assertEquals(TASKS, report.stateRecords(), "one restore read every stored task: " + report);
            assertEquals(TASKS, r.view.size());
            assertEquals(TaskState.WORKING, r.view.get("task-10").orElseThrow().status().state());
            assertTrue(r.sync.healthy(), "the task event reader runs");
        }
    }

    @Test
    void aStartThatMeetsNoBrokerWaitsAndRestoresEveryTaskOnceItIsBack() throws Exception {
        broker.close();
        broker = null;
        try (Replica r = new Replica((before, after) -> { })) {
            CompletableFuture<Void> started = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    r.sync.start(TIMEOUT);
                    started.complete(null);
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            Thread.sleep(TIMEOUT.plusSeconds(2));
            // before: the look-ups (the topics' ids, the events' partitions) failed at the 3 s timeout
            assertFalse(started.isDone(), "the broker is away longer than the start's look-ups' 3 s: the start "
                    + "waits, not " + (started.isCompletedExceptionally() ? "failed" : "done"));
            broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
            started.get(120, TimeUnit.SECONDS);
            assertEquals(TASKS, r.sync.lastStart().stateRecords(), r.sync.lastStart().toString());
            assertEquals(TASKS, r.view.size());
        }
    }

    /** A gateway replica's task state over this broker, as {@code TaskStateStart} builds it, not started. */
    final class Replica implements AutoCloseable {
        final MvTaskStore store = MvTaskStore.open(storeDir, 1);
        final TaskView view;
        final KafkaTaskLog log;
        final KafkaTaskStateSync sync;

        Replica(BiConsumer<Task, Task> transitions) {
            String instance = "restore-outage-" + UUID.randomUUID().toString().substring(0, 8);
            view = new TaskView(store, new TaskCache(5, 1 << 20), e -> { }, transitions);
            KafkaClients kafka = clients();
            log = new KafkaTaskLog(kafka, instance, Duration.ofSeconds(2));
            sync = new KafkaTaskStateSync(kafka, new LoopHealth(Duration.ofMinutes(2)), instance, view,
                    log.stateWriter(), (e, t) -> { }, Duration.ofSeconds(1));
        }

        @Override
        public void close() {
            sync.close();
            log.close();
            store.close();
        }
    }
}
