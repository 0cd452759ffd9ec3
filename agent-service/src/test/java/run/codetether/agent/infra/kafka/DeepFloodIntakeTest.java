package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 19's deep flood, through a real broker: tenant A's flood is deeper than the intake's buffer (1,000
 * commands) in the one partition, tenant B's command comes after all of it, and A's runs hold every shared slot. B
 * must start at once on the slot kept for a tenant with nothing running, which it can only do if the intake reads
 * past the full buffer (A's surplus parked by offset, never committed past).
 */
class DeepFloodIntakeTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private static final int FLOOD = KafkaTaskIntake.MAX_BUFFERED + 500;

    private static TaskCommand.StartTask start(String taskId, String tenant, String text) {
        TaskCommand.StartTask s = Commands.start(taskId, "ctx-" + taskId, "moonshotai", text);
        return new TaskCommand.StartTask(s.taskId(), s.contextId(), tenant, s.message(), s.provider(), null, null,
                null, null, null, null, Map.of(), null);
    }

    @Test
    void aCommandBehindAFloodDeeperThanTheBufferStartsAtOnce() throws Exception {
        String topic = "deep-flood-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 1, false)));
        CountDownLatch release = new CountDownLatch(1);
        h.llm.respondWith(r -> {
            if (r.lastTurn().prompt().contains("flood")) {
                try {
                    release.await(60, TimeUnit.SECONDS); // A's runs hold their slots
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.text("done");
        });
        // one shared slot (A's first run holds it) and the reserved one, for a tenant with nothing running
        TaskDispatcher dispatcher = new TaskDispatcher(h.loop(), 2);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < FLOOD; i++) {
                TaskCommand.StartTask a = start("a-" + i, "tenant-a", "flood " + i);
                producer.send(new ProducerRecord<>(topic, a.contextId(), ContractJson.write(a)));
            }
            TaskCommand.StartTask b = start("b-1", "tenant-b", "quick question");
            producer.send(new ProducerRecord<>(topic, b.contextId(), ContractJson.write(b))).get();
        }
        long written = System.nanoTime();
        KafkaTaskIntake intake = new KafkaTaskIntake(SharedKafkaBroker.bootstrapServers(), topic, "g-" + topic, "w1",
                dispatcher, "earliest").start();
        try {
            TaskEvent.StatusChanged done = h.events.awaitFinal("b-1", Duration.ofSeconds(30));
            long took = (System.nanoTime() - written) / 1_000_000;
            System.out.printf("DEEP FLOOD: B completed %d ms after it was written behind %d of A's commands"
                    + " (load %s)%n", took, FLOOD, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            assertEquals(TaskState.COMPLETED, done.status().state(), done.toString());
            assertTrue(took < 15_000, "B started behind the flood within its bound: " + took + " ms");
            assertEquals(1, h.llm.requests().stream().filter(r -> r.lastTurn().prompt().contains("flood")).count(),
                    "A's one run holds the shared slot: its other commands wait (buffered or parked)");
        } finally {
            intake.close();
            release.countDown();
        }
    }
}
