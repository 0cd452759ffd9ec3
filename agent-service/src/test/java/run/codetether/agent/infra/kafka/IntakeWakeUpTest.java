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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
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
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 18's intake wake-up, through a real broker: a slot that frees up goes to the next buffered command at once,
 * handed on by the run that ended, not at the intake's next poll. The intake polls here with a 60 s timeout and
 * nothing more arrives, so a command left for the next poll would wait for most of a minute; handed on, it starts
 * as soon as the run before it ended.
 */
class IntakeWakeUpTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private static final Duration LONG_POLL = Duration.ofSeconds(60);

    private static TaskCommand.StartTask start(String taskId, String text) {
        TaskCommand.StartTask s = Commands.start(taskId, "ctx-" + taskId, "moonshotai", text);
        return new TaskCommand.StartTask(s.taskId(), s.contextId(), "tenant-a", s.message(), s.provider(), null,
                null, null, null, null, null, Map.of(), null);
    }

    @Test
    void aFreedSlotGoesToTheNextBufferedCommandAtOnceNotAtTheNextPoll() throws Exception {
        String topic = "wake-up-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 1, false)));
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong secondReachedModel = new AtomicLong();
        h.llm.respondWith(r -> {
            String prompt = r.lastTurn().prompt();
            if (prompt.contains("first")) {
                try {
                    release.await(90, TimeUnit.SECONDS); // holds the one shared slot
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (prompt.contains("second")) {
                secondReachedModel.compareAndSet(0, System.nanoTime());
            }
            return Reply.text("done");
        });
        // one shared slot and the reserved one: the reserved slot is not for a tenant with a run going, so the
        // second command of the same tenant waits in the buffer until the first run ends
        TaskDispatcher dispatcher = new TaskDispatcher(h.loop(), 2);
        List<String> ids = List.of("first-" + UUID.randomUUID(), "second-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", SharedKafkaBroker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (String id : ids) {
                TaskCommand.StartTask cmd = start(id, id.substring(0, id.indexOf('-')) + " task");
                producer.send(new ProducerRecord<>(topic, cmd.contextId(), ContractJson.write(cmd))).get();
            }
        }
        KafkaTaskIntake intake = new KafkaTaskIntake(SharedKafkaBroker.bootstrapServers(), topic, "g-" + topic, "w1",
                dispatcher, "earliest").pollTimeout(LONG_POLL).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (h.llm.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, h.llm.requests().size(), "the first command runs on the shared slot");
            Thread.sleep(500); // the intake is back in its long poll, nothing more to fetch
            assertEquals(1, h.llm.requests().size(), "the second command waits: its tenant holds the shared slot");
            long released = System.nanoTime();
            release.countDown();
            deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (secondReachedModel.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long tookMs = secondReachedModel.get() == 0 ? -1 : (secondReachedModel.get() - released) / 1_000_000;
            System.out.printf("WAKE-UP: the second command reached the model %d ms after the first run was released"
                    + " (poll timeout %s; load %s)%n", tookMs, LONG_POLL,
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            assertTrue(tookMs >= 0 && tookMs < 20_000, "the freed slot was handed on at once, not at the next poll"
                    + " (up to " + LONG_POLL + "): " + tookMs + " ms");
            String second = h.llm.requests().stream().map(r -> r.lastTurn().prompt())
                    .filter(p -> p.contains("second")).findFirst().orElseThrow();
            assertTrue(second.contains("second task"), second);
            for (String id : ids) {
                assertEquals(TaskState.COMPLETED, h.events.awaitFinal(id, Duration.ofSeconds(30)).status().state(),
                        id);
            }
        } finally {
            release.countDown();
            intake.close();
        }
    }
}
