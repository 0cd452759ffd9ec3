package run.codetether.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PollLoop;

/**
 * Every record of {@code tasks.events}, read from the beginning by the platform's {@link PollLoop} (no group, so it
 * takes no partition from a service), each with the time this test read it: what the drills and the fairness test
 * time and count (a takeover's first event, completions exactly once, a task's state changes). It keeps reading
 * across a broker's kill and restart (the consumer reconnects by itself).
 */
final class EventLog implements AutoCloseable {
    /** A task event and when this test read it ({@link System#nanoTime}). */
    record TimedEvent(long receivedAt, TaskEvent event) {}

    private final List<TimedEvent> seen = new CopyOnWriteArrayList<>();
    private final PollLoop<String, byte[]> loop;

    EventLog(String bootstrap) {
        KafkaConsumer<String, byte[]> consumer = KafkaClients.forBootstrap(bootstrap).consumer("e2e-event-log",
                Optional.empty(), Map.of(), new StringDeserializer(), new ByteArrayDeserializer());
        loop = PollLoop.builder("e2e-event-log", consumer)
                .onStart(c -> new CatchUp().assign(c, Topics.TASKS_EVENTS, CatchUp.From.BEGINNING,
                        Duration.ofSeconds(30)))
                .pollTimeout(Duration.ofMillis(20))
                .onRecord(r -> seen.add(new TimedEvent(System.nanoTime(),
                        ContractJson.read(r.value(), TaskEvent.class))))
                .start();
    }

    List<TimedEvent> all() {
        return List.copyOf(seen);
    }

    /** The first event that matches, waiting up to {@code timeout} for it. */
    Optional<TimedEvent> await(Predicate<TimedEvent> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TimedEvent> e = seen.stream().filter(match).findFirst();
            if (e.isPresent()) {
                return e;
            }
            assertReading();
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    /** The worker of the task's latest event that names one. */
    Optional<String> lastWorker(String taskId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<TimedEvent> mine = seen.stream().filter(e -> e.event().taskId().equals(taskId)
                    && e.event().workerId() != null).toList();
            if (!mine.isEmpty()) {
                return Optional.of(mine.get(mine.size() - 1).event().workerId());
            }
            assertReading();
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    /** A dead reader would make every wait a timeout that blames the platform: say so instead. */
    private void assertReading() {
        if (loop.state() == PollLoop.State.FAILED) {
            throw new IllegalStateException("the test's tasks.events reader died: " + loop.status().failure()
                    .orElse("?"));
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
