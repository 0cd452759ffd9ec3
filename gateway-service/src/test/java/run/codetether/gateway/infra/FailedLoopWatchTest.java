package run.codetether.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.gateway.infra.kafka.TaskTopics;
import run.codetether.gateway.support.Await;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Issue 19: a gateway Kafka loop other than the task event reader (push delivery, push configs, start sweep, worker
 * bus, feeds) that died turned readiness DOWN and was never started again. Real loops on a real broker: one that
 * stays dead past the timeout makes the watch hand over the exit reason; one started again in time does not.
 */
class FailedLoopWatchTest {
    private final String bootstrap = SharedKafkaBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private PollLoop<String, byte[]> loop(String name, LoopHealth health, boolean dies) {
        KafkaConsumer<String, byte[]> consumer = KafkaClients.forBootstrap(bootstrap).consumer(name + "-" + run,
                Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        return PollLoop.builder(name, consumer).health(health)
                .onStart(c -> c.assign(List.of(new TopicPartition(Topics.TASKS_EVENTS, 0))))
                .beforePoll(c -> {
                    if (dies) {
                        throw new IllegalStateException("injected death");
                    }
                })
                .onBatch((records, c) -> { })
                .start();
    }

    @Test
    void aLoopThatStaysDeadExitsTheGatewayWithItsNameAndCause() throws Exception {
        TaskTopics.ensure(bootstrap, 4);
        LoopHealth health = new LoopHealth();
        var exits = new CopyOnWriteArrayList<String>();
        PollLoop<String, byte[]> alive = loop("push-alive", health, false);
        PollLoop<String, byte[]> dead = loop("push-dead", health, true);
        long began = System.nanoTime();
        try (FailedLoopWatch watch = new FailedLoopWatch(health::failed, Duration.ofMillis(1500),
                Duration.ofMillis(100), exits::add)) {
            Await.until(health::ready, r -> !r, Duration.ofSeconds(20), "readiness DOWN");
            assertTrue(exits.isEmpty(), "not before the timeout");
            Await.until(() -> exits, e -> !e.isEmpty(), Duration.ofSeconds(20), "the exit");
            assertTrue((System.nanoTime() - began) / 1_000_000 >= 1500);
            assertTrue(exits.getFirst().contains("push-dead") && exits.getFirst().contains("injected death"),
                    exits.getFirst());
            Thread.sleep(300);
            assertEquals(1, exits.size(), "exits once");
        } finally {
            alive.close();
            dead.close();
        }
    }

    @Test
    void aLoopStartedAgainInTimeIsForgotten() throws Exception {
        TaskTopics.ensure(bootstrap, 4);
        LoopHealth health = new LoopHealth();
        var exits = new CopyOnWriteArrayList<String>();
        PollLoop<String, byte[]> dead = loop("sweep", health, true);
        try (FailedLoopWatch watch = new FailedLoopWatch(health::failed, Duration.ofMillis(1500),
                Duration.ofMillis(100), exits::add)) {
            Await.until(health::ready, r -> !r, Duration.ofSeconds(20), "readiness DOWN");
            PollLoop<String, byte[]> again = loop("sweep", health, false);
            try {
                Await.until(health::ready, r -> r, Duration.ofSeconds(20), "readiness UP with the new loop");
                Thread.sleep(2500);
                assertTrue(exits.isEmpty(), exits.toString());
                assertFalse(health.failed().stream().anyMatch(s -> s.name().equals("sweep")));
            } finally {
                again.close();
            }
        } finally {
            dead.close();
        }
    }
}
