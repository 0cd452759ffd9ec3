package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/** The platform's poll loop and producer factory against the real in-process broker. */
class PollLoopTest {
    static KafkaClients clients;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void broker() {
        clients = new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers()));
        producer = clients.producer("poll-loop-test", new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static String topic(int partitions) {
        String t = "poll-loop-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(t, partitions, false)));
        return t;
    }

    static void send(String topic, String... values) throws Exception {
        for (String v : values) {
            producer.send(new ProducerRecord<>(topic, v, v)).get(10, TimeUnit.SECONDS);
        }
    }

    KafkaConsumer<String, String> consumer(String group) {
        return clients.consumer("test-" + UUID.randomUUID(), Optional.ofNullable(group), Map.of(),
                new StringDeserializer(), new StringDeserializer());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void handlesCommitsAfterEachBatchAndStopsCleanlyLeavingItsGroup() throws Exception {
        String topic = topic(2);
        String group = "g-" + UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Integer> flushedBeforeCommit = new CopyOnWriteArrayList<>();
        LoopHealth health = new LoopHealth();
        PollLoop<String, String> loop = PollLoop.builder("test-commit", consumer(group))
                .onStart(c -> c.subscribe(List.of(topic)))
                .onRecord(r -> seen.add(r.value()))
                .commit(PollLoop.Commit.AFTER_BATCH, () -> flushedBeforeCommit.add(seen.size()))
                .health(health)
                .start();
        send(topic, "a", "b", "c", "d", "e");
        await(() -> seen.size() == 5, "five records");
        assertEquals(PollLoop.State.RUNNING, loop.state());
        assertTrue(health.ready());
        try (Admin admin = clients.admin("check")) {
            await(() -> committed(admin, group, topic) == 5, "offsets committed");
            long started = System.nanoTime();
            loop.close();
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(8), "close returns promptly");
            assertEquals(PollLoop.State.STOPPED, loop.state());
            assertTrue(health.ready(), "a loop closed on purpose is not a failure");
            assertTrue(admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group)
                    .members().isEmpty(), "the consumer left its group on close");
        }
        assertFalse(flushedBeforeCommit.isEmpty(), "beforeCommit ran before the commits");
        loop.close(); // idempotent
    }

    @Test
    void aRecordThatMustNotBeSkippedKillsTheLoopAndReadinessGoesDown() throws Exception {
        String topic = topic(1);
        LoopHealth health = new LoopHealth();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        PollLoop<String, String> loop = PollLoop.builder("test-fail", consumer(null))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0))))
                .onRecord(r -> {
                    if (r.value().equals("poison")) {
                        throw new IllegalArgumentException("cannot decode");
                    }
                })
                .recordErrors(PollLoop.RecordErrors.FAIL)
                .onFailure(failures::add)
                .health(health)
                .start();
        send(topic, "fine", "poison", "never");
        assertTrue(loop.awaitEnd(Duration.ofSeconds(30)), "the loop ended");
        await(() -> !failures.isEmpty(), "the failure hook heard why (a supervisor may start a fresh loop)");
        assertEquals(IllegalArgumentException.class, failures.getFirst().getCause().getClass());
        assertEquals(PollLoop.State.FAILED, loop.state());
        assertFalse(health.ready());
        PollLoop.Status failed = health.failed().getFirst();
        assertEquals("test-fail", failed.name());
        assertTrue(failed.failure().orElseThrow().contains("cannot decode"), failed.failure().orElseThrow());
        loop.close();
        assertEquals(PollLoop.State.FAILED, loop.state(), "closing a dead loop keeps its failure visible");
    }

    @Test
    void aBadRecordIsSkippedByDefaultAndTheLoopGoesOn() throws Exception {
        String topic = topic(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        LoopHealth health = new LoopHealth();
        try (PollLoop<String, String> loop = PollLoop.builder("test-skip", consumer(null))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0))))
                .onRecord(r -> {
                    if (r.value().equals("bad")) {
                        throw new IllegalArgumentException("unreadable");
                    }
                    seen.add(r.value());
                })
                .health(health)
                .start()) {
            send(topic, "one", "bad", "two");
            await(() -> seen.equals(List.of("one", "two")), "records after the bad one");
            assertTrue(health.ready());
        }
    }

    @Test
    void aLoopThatCannotStartFailsVisiblyAndOneNeverStartedClosesItsConsumer() throws Exception {
        LoopHealth health = new LoopHealth();
        PollLoop<String, String> broken = PollLoop.builder("test-start", consumer(null))
                .onStart(c -> {
                    throw new IllegalStateException("no such partition");
                })
                .onRecord(r -> {})
                .health(health)
                .start();
        assertTrue(broken.awaitEnd(Duration.ofSeconds(10)));
        assertEquals(PollLoop.State.FAILED, broken.state());
        assertFalse(health.ready());

        PollLoop<String, String> idle = PollLoop.builder("test-idle", consumer(null)).onRecord(r -> {}).build();
        idle.close();
        assertEquals(PollLoop.State.STOPPED, idle.state());
        assertTrue(idle.awaitEnd(Duration.ZERO));
    }

    @Test
    void closingStopsAnOnStartHookThatWaitsForItsTopicAndIsNoFailure() throws Exception {
        LoopHealth health = new LoopHealth();
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        PollLoop<String, String> loop = PollLoop.builder("test-wait", consumer(null))
                .onStart(c -> {
                    waiting.countDown();
                    try {
                        Thread.sleep(60_000); // a topic that never appears
                    } catch (InterruptedException e) {
                        throw new org.apache.kafka.common.errors.InterruptException(e);
                    }
                })
                .onRecord(r -> {})
                .health(health)
                .start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        long started = System.nanoTime();
        loop.close();
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "close did not wait for the hook");
        assertEquals(PollLoop.State.STOPPED, loop.state());
        assertTrue(health.ready(), "closed while starting is not a failure");
    }

    @Test
    void aLoopStartedAgainUnderItsNameReplacesTheDeadOneInReadiness() throws Exception {
        LoopHealth health = new LoopHealth();
        PollLoop<String, String> dead = PollLoop.builder("test-restart", consumer(null))
                .onStart(c -> {
                    throw new IllegalStateException("died");
                })
                .onRecord(r -> {})
                .health(health)
                .start();
        assertTrue(dead.awaitEnd(Duration.ofSeconds(10)));
        assertFalse(health.ready());
        String topic = topic(1);
        try (PollLoop<String, String> again = PollLoop.builder("test-restart", consumer(null))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0))))
                .onRecord(r -> {})
                .health(health)
                .start()) {
            await(() -> again.state() == PollLoop.State.RUNNING, "the new loop runs");
            assertTrue(health.ready(), health.describe().toString());
            assertEquals(Map.of("test-restart", "running"), health.describe());
        }
    }

    @Test
    void catchUpTellsWhenARecordWrittenBeforeTheStartWasReadAndEndSkipsThem() throws Exception {
        String topic = topic(2);
        send(topic, "old-1", "old-2", "old-3");
        List<String> fromStart = new CopyOnWriteArrayList<>();
        List<String> fromEnd = new CopyOnWriteArrayList<>();
        CatchUp beginning = new CatchUp();
        CatchUp end = new CatchUp();
        KafkaConsumer<String, String> c1 = consumer(null);
        beginning.assign(c1, topic, CatchUp.From.BEGINNING, Duration.ofSeconds(10));
        KafkaConsumer<String, String> c2 = consumer(null);
        end.assign(c2, topic, CatchUp.From.END, Duration.ofSeconds(10));
        try (PollLoop<String, String> a = PollLoop.builder("test-begin", c1).beforePoll(beginning::check)
                        .onRecord(r -> fromStart.add(r.value())).start();
                PollLoop<String, String> b = PollLoop.builder("test-end", c2).beforePoll(end::check)
                        .onRecord(r -> fromEnd.add(r.value())).start()) {
            beginning.awaitOrFail(Duration.ofSeconds(30), "the topic");
            assertEquals(3, fromStart.size(), "caught up means every record of before was handled");
            send(topic, "new");
            await(() -> fromEnd.equals(List.of("new")) && fromStart.size() == 4, "the new record, once each");
        }
        KafkaConsumer<String, String> c3 = consumer(null);
        List<String> all = new CopyOnWriteArrayList<>();
        CatchUp.readAll(c3, topic, Duration.ofSeconds(30), r -> all.add(r.value()));
        c3.close();
        assertEquals(4, all.size());
    }

    private static long committed(Admin admin, String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }
}
