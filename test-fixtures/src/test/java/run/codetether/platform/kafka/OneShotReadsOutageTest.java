package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.net.LoopbackPorts;

/**
 * The start-up's one-shot Kafka calls across an outage (issue 19): a {@link ReadToEnd} and
 * {@link PlatformTopics#ensure} that meet a broker which is down wait for it past their own deadline, and complete
 * once a broker answers on that address; an outage longer than their budget fails them with the budget named.
 */
class OneShotReadsOutageTest {
    Path data;
    int port;
    int controller;
    volatile EmbeddedKafkaBroker broker;

    @BeforeEach
    void ports() throws Exception {
        data = Files.createTempDirectory("codetether-one-shot-outage-");
        port = LoopbackPorts.free();
        controller = LoopbackPorts.free();
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    KafkaClients clients() {
        return new KafkaClients(KafkaSettings.of("127.0.0.1:" + port));
    }

    KafkaConsumer<String, String> consumer() {
        return clients().consumer("one-shot-" + UUID.randomUUID(), Optional.empty(),
                Map.of(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200"), new StringDeserializer(),
                new StringDeserializer());
    }

    @Test
    void aReadThatMeetsADownBrokerWaitsPastItsDeadlineAndReadsOnceTheBrokerIsBack() throws Exception {
        String topic = "late-" + UUID.randomUUID();
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
        broker.createTopics(List.of(new Topics.Spec(topic, 2, false)));
        try (KafkaProducer<String, String> p = clients().producer("before", new StringSerializer(),
                new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, 0, "a", "one")).get(30, TimeUnit.SECONDS);
            p.send(new ProducerRecord<>(topic, 1, "b", "two")).get(30, TimeUnit.SECONDS);
        }
        broker.close();
        broker = null;

        CompletableFuture<List<String>> read = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try (KafkaConsumer<String, String> c = consumer()) {
                List<String> seen = new ArrayList<>();
                // a 2 s deadline: before issue 19's retries the read failed with "not read within PT2S"
                ReadToEnd.of("the late topic", c, Duration.ofSeconds(2)).topic(topic).forEach(r -> seen.add(r.value()));
                read.complete(seen);
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        });
        Thread.sleep(6_000);
        assertFalse(read.isDone(), "the broker is away for longer than the read's deadline: the read waits for it, "
                + "not " + (read.isDone() ? describe(read) : ""));
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
        assertEquals(Set.of("one", "two"), new HashSet<>(read.get(120, TimeUnit.SECONDS)));
    }

    @Test
    void aReadWhoseBrokerStopsMidReadFinishesOnceItIsBack() throws Exception {
        String topic = "mid-" + UUID.randomUUID();
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
        broker.createTopics(List.of(new Topics.Spec(topic, 1, false)));
        try (KafkaProducer<String, String> p = clients().producer("before", new StringSerializer(),
                new StringSerializer())) {
            for (String v : List.of("one", "two", "three", "four")) { // a batch each, a fetch each (one prefetched)
                p.send(new ProducerRecord<>(topic, 0, v, v)).get(30, TimeUnit.SECONDS);
            }
        }
        CompletableFuture<Void> restarted = new CompletableFuture<>();
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> c = clients().consumer("one-shot-" + UUID.randomUUID(), Optional.empty(),
                Map.of(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1", ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1"),
                new StringDeserializer(), new StringDeserializer())) {
            // the broker stops after the first record and is back 6 s later: polls find nothing past the 3 s deadline,
            // the probe finds the outage and waits it out; before the read got a fresh deadline then, the next pass
            // found it already past, probed the broker (now answering) and failed "not read within PT3S" unpolled
            ReadToEnd.of("the stopped topic", c, Duration.ofSeconds(3)).topic(topic).forEach(r -> {
                seen.add(r.value());
                if (seen.size() == 1) {
                    broker.close();
                    broker = null;
                    Thread.ofPlatform().start(() -> {
                        try {
                            Thread.sleep(6_000);
                            broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
                            restarted.complete(null);
                        } catch (Throwable t) {
                            restarted.completeExceptionally(t);
                        }
                    });
                }
            });
        }
        restarted.get(60, TimeUnit.SECONDS);
        assertEquals(List.of("one", "two", "three", "four"), seen);
    }

    @Test
    void aReadWhoseBrokerStaysAwayLongerThanTheBudgetFailsNamingTheBudget() {
        try (KafkaConsumer<String, String> c = consumer()) {
            long began = System.nanoTime();
            ReadToEnd.NotRead e = assertThrows(ReadToEnd.NotRead.class,
                    () -> ReadToEnd.of("the absent broker's topic", c, Duration.ofSeconds(1)).topic("absent")
                            .outageBudget(Duration.ofSeconds(3)).forEach(r -> { }));
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertTrue(e.getMessage().startsWith("the absent broker's topic not read: Kafka did not answer for the "
                    + "partitions of absent for "), e.getMessage());
            assertTrue(e.getMessage().contains("longer than codetether.kafka.outage-budget (PT3S)"), e.getMessage());
            assertTrue(tookMs >= 3_000 && tookMs < 20_000, "failed once the budget was spent, took " + tookMs + " ms");
            assertTrue(e.outage(), "a read that met no broker says it met an outage");
        }
    }

    @Test
    void topicCreationThatMeetsADownBrokerWaitsAndCreatesThemOnceItIsUp() throws Exception {
        String name = "created-late-" + UUID.randomUUID();
        CompletableFuture<List<String>> created = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                created.complete(PlatformTopics.ensure(clients(), List.of(new Topics.Spec(name, 3, false)),
                        Duration.ofSeconds(2)));
            } catch (Throwable t) {
                created.completeExceptionally(t);
            }
        });
        Thread.sleep(6_000);
        assertFalse(created.isDone(), "no broker for longer than one try's 2 s: the start waits, not "
                + (created.isDone() ? describe(created) : ""));
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
        assertEquals(List.of(name), created.get(120, TimeUnit.SECONDS));
        try (KafkaConsumer<String, String> c = consumer()) {
            assertEquals(3, c.partitionsFor(name, Duration.ofSeconds(30)).size());
        }
    }

    @Test
    void topicCreationPastTheBudgetFailsNamingIt() {
        long began = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PlatformTopics.ensure(clients(), List.of(new Topics.Spec("never", 1, false)),
                        Duration.ofSeconds(1), Duration.ofSeconds(3)));
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(e.getMessage().startsWith("cannot create the platform's Kafka topics: Kafka did not answer for "),
                e.getMessage());
        assertTrue(e.getMessage().contains("longer than codetether.kafka.outage-budget (PT3S)"), e.getMessage());
        assertTrue(tookMs >= 3_000 && tookMs < 20_000, "failed once the budget was spent, took " + tookMs + " ms");
    }

    /** Clients as a service builds them with {@code codetether.kafka.outage-budget=3s}. */
    KafkaClients clientsWithBudget(Duration budget) {
        return new KafkaClients(KafkaSettings.of("127.0.0.1:" + port), KafkaClients.DEFAULT_RARE_FETCH_WAIT,
                KafkaClients.DEFAULT_COMMIT_INTERVAL, budget);
    }

    @Test
    void aReadOnAConsumerOfTheServicesClientsTakesTheirConfiguredBudget() {
        KafkaClients clients = clientsWithBudget(Duration.ofSeconds(3));
        try (KafkaConsumer<String, String> c = clients.consumer("budgeted-" + UUID.randomUUID(), Optional.empty(),
                Map.of(), new StringDeserializer(), new StringDeserializer())) {
            assertEquals(Duration.ofSeconds(3), OutageRetry.budgetOf(c));
            long began = System.nanoTime();
            // no outageBudget(...) here: before, every read waited the 5 min default whatever was configured
            ReadToEnd.NotRead e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                    ReadToEnd.NotRead.class, () -> ReadToEnd.of("the configured read", c, Duration.ofSeconds(1))
                            .topic("absent").forEach(r -> { })));
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertTrue(e.getMessage().contains("longer than codetether.kafka.outage-budget (PT3S)"), e.getMessage());
            assertTrue(tookMs >= 3_000, "waited the configured 3 s out, took " + tookMs + " ms");
        }
    }

    @Test
    void topicCreationWithTheServicesClientsTakesTheirConfiguredBudget() {
        long began = System.nanoTime();
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                IllegalStateException.class, () -> PlatformTopics.ensure(clientsWithBudget(Duration.ofSeconds(3)),
                        List.of(new Topics.Spec("never", 1, false)), Duration.ofSeconds(1))));
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(e.getMessage().contains("longer than codetether.kafka.outage-budget (PT3S)"), e.getMessage());
        assertTrue(tookMs >= 3_000, "waited the configured 3 s out, took " + tookMs + " ms");
    }

    @Test
    void catchUpsLookupsWaitOutAnOutageAndAssignOnceTheBrokerIsBack() throws Exception {
        String topic = "catch-up-" + UUID.randomUUID();
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
        broker.createTopics(List.of(new Topics.Spec(topic, 2, false)));
        broker.close();
        broker = null;
        CompletableFuture<List<org.apache.kafka.common.TopicPartition>> assigned = new CompletableFuture<>();
        CatchUp catchUp = new CatchUp();
        Thread.ofPlatform().start(() -> {
            try (KafkaConsumer<String, String> c = clientsWithBudget(Duration.ofMinutes(2)).consumer(
                    "catch-up-" + UUID.randomUUID(), Optional.empty(),
                    Map.of(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200"), new StringDeserializer(),
                    new StringDeserializer())) {
                // 1 s per look-up: before, the first that timed out failed the start
                assigned.complete(catchUp.assign(c, topic, CatchUp.From.END, Duration.ofSeconds(1)));
            } catch (Throwable t) {
                assigned.completeExceptionally(t);
            }
        });
        Thread.sleep(4_000);
        assertFalse(assigned.isDone(), "the broker is away for longer than a look-up's 1 s: assign waits, not "
                + (assigned.isDone() ? describe(assigned) : ""));
        broker = EmbeddedKafkaBroker.persistent(data, port, controller).start();
        assertEquals(2, assigned.get(120, TimeUnit.SECONDS).size());
        assertEquals(List.of(topic + "-0", topic + "-1"), catchUp.partitions().stream().map(Object::toString)
                .sorted().toList());
    }

    @Test
    void aStartsLookupPastTheBudgetFailsNamingItAndIsNoOutageToALoop() {
        try (KafkaConsumer<String, String> c = clientsWithBudget(Duration.ofSeconds(2)).consumer(
                "spent-" + UUID.randomUUID(), Optional.empty(), Map.of(), new StringDeserializer(),
                new StringDeserializer())) {
            OutageRetry.Spent e = assertThrows(OutageRetry.Spent.class,
                    () -> new CatchUp().assign(c, "absent", CatchUp.From.BEGINNING, Duration.ofMillis(500)));
            assertTrue(e.getMessage().startsWith("the partitions of absent: Kafka did not answer for "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("longer than codetether.kafka.outage-budget (PT2S)"), e.getMessage());
            assertInstanceOfTimeout(e.getCause());
            assertFalse(KafkaOutage.retriable(e), "a loop whose start waited the budget out does not wait again");
        }
    }

    private static void assertInstanceOfTimeout(Throwable t) {
        assertTrue(t instanceof org.apache.kafka.common.errors.TimeoutException, "the last Kafka error: " + t);
    }

    private static String describe(CompletableFuture<?> f) {
        try {
            return "done with " + f.getNow(null);
        } catch (RuntimeException e) {
            return "failed: " + e.getCause();
        }
    }
}
