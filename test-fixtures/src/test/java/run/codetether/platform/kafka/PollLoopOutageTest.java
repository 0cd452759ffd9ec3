package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * A poll loop across a real broker outage (issue 19): the broker of its own is stopped for longer than the 1 s
 * timeout of the end-offsets lookup the loop makes before each poll (as the push reader's idle skip does), then
 * started again on the same port and data. The loop retries within its outage budget and reads what is written
 * after the broker is back; an outage longer than the budget ends it, with the budget named.
 */
class PollLoopOutageTest {
    static final String TOPIC = "outage-" + UUID.randomUUID();
    Path data;
    int port;
    int controllerPort;
    EmbeddedKafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        data = Files.createTempDirectory("codetether-outage-");
        port = freePort();
        controllerPort = freePort();
        broker = EmbeddedKafkaBroker.persistent(data, port, controllerPort).start();
        broker.createTopics(List.of(new Topics.Spec(TOPIC, 2, false)));
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
        try (var walk = Files.walk(data)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    KafkaConsumer<String, String> consumer() {
        return KafkaClients.forBootstrap(broker.bootstrapServers()).consumer("outage-" + UUID.randomUUID(),
                Optional.empty(), Map.of("auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }

    /** A loop that asks for its partitions' end offsets (1 s timeout) before every poll, as the push reader does. */
    PollLoop<String, String> loop(LoopHealth health, List<String> seen, AtomicInteger lookups) {
        return PollLoop.builder("outage-test", consumer())
                // assigned, not subscribed: a group's rebalance in the outage would empty the assignment, and the
                // lookup would not be made at all
                .onStart(c -> c.assign(CatchUp.partitionsOf(c, TOPIC, Duration.ofSeconds(10))))
                .beforePoll(c -> {
                    if (!c.assignment().isEmpty()) {
                        Map<TopicPartition, Long> ends = c.endOffsets(c.assignment(), Duration.ofSeconds(1));
                        lookups.incrementAndGet();
                        assertEquals(2, ends.size());
                    }
                })
                .onRecord(r -> seen.add(r.value()))
                .health(health)
                .start();
    }

    void send(String value) throws Exception {
        try (KafkaProducer<String, String> p = KafkaClients.forBootstrap(broker.bootstrapServers())
                .producer("outage-producer", new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(TOPIC, value, value)).get(30, TimeUnit.SECONDS);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The loop, once it read a record written before it started; then the broker is stopped. */
    PollLoop<String, String> readingWhenTheBrokerStops(LoopHealth health, List<String> seen, AtomicInteger lookups)
            throws Exception {
        send("before"); // the broker answers before the loop starts: its budget is for the outage only
        PollLoop<String, String> loop = loop(health, seen, lookups);
        await(() -> seen.contains("before"), Duration.ofSeconds(60), "the record before the outage");
        broker.close();
        return loop;
    }

    @Test
    void aLoopWaitsOutAnOutageLongerThanItsCallsTimeoutAndReadsWhatComesAfter() throws Exception {
        LoopHealth health = new LoopHealth(Duration.ofMinutes(1));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger lookups = new AtomicInteger();
        try (PollLoop<String, String> loop = readingWhenTheBrokerStops(health, seen, lookups)) {
            // several 1 s lookups time out meanwhile: each one ended the loop before (issue 19)
            await(() -> loop.status().failure().isPresent(), Duration.ofSeconds(30), "the loop to see the outage: "
                    + loop.status() + " after " + lookups + " lookups");
            Thread.sleep(6_000);
            assertEquals(PollLoop.State.RUNNING, loop.state(), "the loop died in the outage: " + loop.status());
            assertTrue(health.ready(), "a loop waiting out an outage is no dead loop: " + health.describe());
            assertTrue(health.describe().get("outage-test").contains("Kafka unreachable, retrying"),
                    health.describe().toString());

            broker = EmbeddedKafkaBroker.persistent(data, port, controllerPort).start();
            send("after");
            await(() -> seen.contains("after"), Duration.ofSeconds(90), "the record after the outage");
            await(() -> loop.status().failure().isEmpty(), Duration.ofSeconds(30), "the outage to end");
            assertEquals(PollLoop.State.RUNNING, loop.state());
        }
    }

    @Test
    void anOutageLongerThanTheBudgetEndsTheLoopNamingTheBudget() throws Exception {
        LoopHealth health = new LoopHealth(Duration.ofSeconds(10));
        try (PollLoop<String, String> loop = readingWhenTheBrokerStops(health, new CopyOnWriteArrayList<>(),
                new AtomicInteger())) {
            assertTrue(loop.awaitEnd(Duration.ofSeconds(60)), "the loop outlived its 10 s outage budget");
            assertEquals(PollLoop.State.FAILED, loop.state());
            String failure = loop.status().failure().orElseThrow();
            assertTrue(failure.contains("codetether.kafka.outage-budget (PT10S)"), failure);
            assertEquals(1, health.failed().size());
            broker = EmbeddedKafkaBroker.persistent(data, port, controllerPort).start();
        }
    }
}
