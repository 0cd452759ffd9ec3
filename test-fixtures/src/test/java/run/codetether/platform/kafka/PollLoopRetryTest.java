package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * What a poll loop retries and what ends it (issue 19), on the real in-process broker, with retriable errors thrown
 * by the loop's own hooks and handlers: a rebalance callback's error is fatal, a handler or commit that keeps failing
 * runs out the budget even while polls come back, and what was rewound is handled exactly once after.
 */
class PollLoopRetryTest {
    static KafkaClients clients;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void broker() {
        clients = new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers()));
        producer = clients.producer("poll-loop-retry-test", new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    /** Writes values round-robin to the partitions: value "p-i" to partition p. */
    static void send(String topic, int partitions, int perPartition) throws Exception {
        for (int i = 0; i < perPartition; i++) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, p + "-" + i, p + "-" + i)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    KafkaConsumer<String, String> consumer(String group) {
        return clients.consumer("retry-" + UUID.randomUUID(), Optional.ofNullable(group),
                Map.of("auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer());
    }

    static Map<TopicPartition, Long> committed(String group, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    @Test
    void aRebalanceCallbackThatTimedOutEndsTheLoopInsteadOfBeingRetried() throws Exception {
        String topic = PollLoopTest.topic(1);
        AtomicInteger assigned = new AtomicInteger();
        PollLoop<String, String> loop = PollLoop.builder("retry-callback", consumer("g-" + UUID.randomUUID()))
                .onStart(c -> c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            assigned.incrementAndGet();
                            throw new TimeoutException("offsetsForTimes timed out (in the assign callback)");
                        }
                    }
                }))
                .onRecord(r -> {})
                .outageBudget(Duration.ofMinutes(5))
                .start();
        try (loop) {
            assertTrue(loop.awaitEnd(Duration.ofSeconds(20)),
                    "a callback's timeout was retried (Kafka never calls the callback again): " + loop.status());
            assertEquals(PollLoop.State.FAILED, loop.state());
            assertTrue(loop.status().failure().orElseThrow().contains("in the assign callback"), loop.status()
                    .toString());
            assertEquals(1, assigned.get());
        }
    }

    @Test
    void aHandlerThatKeepsFailingRunsOutTheBudgetAndTheFailureNamesTheRecord() throws Exception {
        String topic = PollLoopTest.topic(1);
        send(topic, 1, 1);
        AtomicInteger tries = new AtomicInteger();
        PollLoop<String, String> loop = PollLoop.builder("retry-handler", consumer(null))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0))))
                .onRecord(r -> {
                    tries.incrementAndGet();
                    throw new TimeoutException("send timed out");
                })
                .outageBudget(Duration.ofSeconds(2))
                .start();
        try (loop) {
            // the polls between the tries return nothing or the rewound record: neither ends the outage
            assertTrue(loop.awaitEnd(Duration.ofSeconds(20)), "the budget never ran out: " + loop.status());
            assertEquals(PollLoop.State.FAILED, loop.state());
            String failure = loop.status().failure().orElseThrow();
            assertTrue(failure.contains("codetether.kafka.outage-budget (PT2S)"), failure);
            assertTrue(failure.contains(topic + " record at 0/0"), failure);
            assertTrue(tries.get() > 1, "retried " + tries);
        }
    }

    @Test
    void aRecordHandlerFailingMidBatchIsRewoundAndEachRecordIsHandledOnceAndCommitted() throws Exception {
        String topic = PollLoopTest.topic(2);
        send(topic, 2, 5);
        String group = "g-" + UUID.randomUUID();
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        PollLoop<String, String> loop = PollLoop.builder("retry-rewind", consumer(group))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1))))
                .onRecord(r -> {
                    if ((r.value().equals("0-2") || r.value().equals("1-3")) && failed.getAndIncrement() < 3) {
                        throw new TimeoutException("send timed out");
                    }
                    handled.computeIfAbsent(r.value(), v -> new AtomicInteger()).incrementAndGet();
                })
                .commit(PollLoop.Commit.AFTER_BATCH)
                .start();
        try (loop) {
            PollLoopTest.await(() -> handled.size() == 10, "all ten records: " + handled + " " + loop.status());
            PollLoopTest.await(() -> loop.status().failure().isEmpty(), "the outage to end: " + loop.status());
            assertEquals(PollLoop.State.RUNNING, loop.state());
            assertTrue(failed.get() >= 3, "failed " + failed);
            handled.forEach((v, n) -> assertEquals(1, n.get(), v + " handled " + n + " times: " + handled));
            PollLoopTest.await(() -> {
                try {
                    return committed(group, topic, 2).equals(Map.of(new TopicPartition(topic, 0), 5L,
                            new TopicPartition(topic, 1), 5L));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "both partitions committed at 5");
        }
    }

    @Test
    void aBatchHandlerFailingIsGivenTheWholeBatchAgain() throws Exception {
        String topic = PollLoopTest.topic(2);
        send(topic, 2, 3);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        PollLoop<String, String> loop = PollLoop.builder("retry-batch", consumer(null))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1))))
                .onBatch((records, c) -> {
                    batches.add(records.count());
                    if (failures.getAndIncrement() < 2) {
                        throw new TimeoutException("flush timed out");
                    }
                    records.forEach(r -> assertTrue(handled.add(r.value()), "twice: " + r.value()));
                })
                .start();
        try (loop) {
            PollLoopTest.await(() -> handled.size() == 6,
                    "all six records: " + handled + " " + batches + " " + loop.status());
            PollLoopTest.await(() -> loop.status().failure().isEmpty(), "the outage to end: " + loop.status());
            assertEquals(PollLoop.State.RUNNING, loop.state());
        }
    }

    @Test
    void aCommitFailingInAnOutageIsMadeByALaterPass() throws Exception {
        String topic = PollLoopTest.topic(1);
        send(topic, 1, 3);
        String group = "g-" + UUID.randomUUID();
        AtomicInteger commits = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        PollLoop<String, String> loop = PollLoop.builder("retry-commit", consumer(group))
                .onStart(c -> c.assign(List.of(new TopicPartition(topic, 0))))
                .onRecord(r -> seen.add(r.value()))
                .commit(PollLoop.Commit.AFTER_BATCH, () -> {
                    if (commits.incrementAndGet() <= 3) {
                        throw new TimeoutException("flush before the commit timed out");
                    }
                })
                .start();
        try (loop) {
            PollLoopTest.await(() -> {
                try {
                    return committed(group, topic, 1).equals(Map.of(new TopicPartition(topic, 0), 3L));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "the commit after the failed ones: " + loop.status());
            assertTrue(commits.get() >= 4, "commit tries " + commits);
            assertEquals(List.of("0-0", "0-1", "0-2"), seen, "the position held the batch: read once");
            PollLoopTest.await(() -> loop.status().failure().isEmpty(), "the outage to end: " + loop.status());
        }
    }

    @Test
    void aStartHookFailingRetriablyIsRetriedAndClosingInItsBackoffDoesNotRunItAgain() throws Exception {
        String topic = PollLoopTest.topic(1);
        send(topic, 1, 1);
        AtomicInteger starts = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        PollLoop<String, String> recovering = PollLoop.builder("retry-start", consumer(null))
                .onStart(c -> {
                    if (starts.incrementAndGet() <= 2) {
                        throw new TimeoutException("partitionsFor timed out");
                    }
                    c.assign(List.of(new TopicPartition(topic, 0)));
                })
                .onRecord(r -> seen.add(r.value()))
                .start();
        try (recovering) {
            PollLoopTest.await(() -> seen.contains("0-0"),
                    "the record after the start hook's retries: " + recovering.status());
            assertEquals(3, starts.get());
            assertTrue(recovering.status().failure().isEmpty(), recovering.status().toString());
        }

        AtomicInteger hooks = new AtomicInteger();
        PollLoop<String, String> closing = PollLoop.builder("retry-start-close", consumer(null))
                .onStart(c -> {
                    hooks.incrementAndGet();
                    throw new TimeoutException("partitionsFor timed out");
                })
                .onRecord(r -> {})
                .start();
        // the backoff doubles from 100 ms: after the fourth try the loop waits 800 ms
        PollLoopTest.await(() -> hooks.get() >= 4, "four tries of the start hook");
        int atClose = hooks.get(); // close() waits for the loop's end: count before it
        closing.close();
        assertTrue(closing.awaitEnd(Duration.ofSeconds(10)));
        assertEquals(atClose, hooks.get(), "the start hook ran again after close()");
    }
}
