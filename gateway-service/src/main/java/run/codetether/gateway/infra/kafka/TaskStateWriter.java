package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;

/**
 * Writes folded tasks to the compacted {@code tasks.state} topic on a thread of its own (issue 18), so the task event
 * reader only folds: it hands over a changed task and goes on, and never waits for a flush.
 *
 * <p>Coalescing: only the newest version of a task waiting here is written (a task that changed ten times between
 * two writes costs one record). Which changes are handed over is the reader's rule ({@link #persists}): streamed
 * partial output is not, the next non-partial change carries it.
 *
 * <p>Positions: the reader {@link #mark marks} the events positions its batch reached after handing over the batch's
 * tasks; a mark becomes {@link #durable() durable} once every task handed over before it was flushed to Kafka. The
 * reader commits only durable positions, so a replica restarted without its store never resumes past a state
 * record that was not written.
 */
public final class TaskStateWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskStateWriter.class);

    private final KafkaProducer<String, Object> producer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition flushed = lock.newCondition();
    /** The newest version of each task not written yet, in the order they first waited. */
    private Map<String, Versioned> pending = new LinkedHashMap<>();
    private Map<TopicPartition, OffsetAndMetadata> marked = new HashMap<>();
    private Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
    private long handedOver;
    private long written;
    private volatile boolean running = true;
    private final Thread thread;

    private record Versioned(Task task, long offset) {}

    /** @param producer the producer of state records (its delivery timeout bounds how long a flush may wait) */
    public TaskStateWriter(KafkaProducer<String, Object> producer, String name) {
        this.producer = producer;
        this.thread = Thread.ofPlatform().daemon().name("task-state-writer-" + name).start(this::loop);
    }

    /**
     * Whether a change made by {@code event} goes to {@code tasks.state}: every change but streamed partial output
     * (a partial status message, a chunk of an answer still streaming: {@link TaskEvent#partialUpdate()}). A restarted replica that reads
     * the state topic rewinds the events of its tasks in progress to their state record ({@link TaskStateRestore}),
     * so it folds those partial events again and shows the latest text.
     */
    public static boolean persists(TaskEvent event) {
        return !event.partialUpdate(); // a streamed answer's chunks (even its first) are superseded by the answer
    }

    /** Hands over a task as folded up to {@code offset}; returns at once. */
    public void offer(Task task, long offset) {
        lock.lock();
        try {
            Versioned before = pending.get(task.id());
            if (before == null || before.offset() <= offset) {
                pending.put(task.id(), new Versioned(task, offset));
            }
            handedOver++;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The reader reached these positions; they become durable after everything handed over so far is written. */
    public void mark(Map<TopicPartition, OffsetAndMetadata> positions) {
        lock.lock();
        try {
            marked.putAll(positions);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the positions made durable since the last call (empty when none): what the reader may commit. */
    public Map<TopicPartition, OffsetAndMetadata> durable() {
        lock.lock();
        try {
            if (durable.isEmpty()) {
                return Map.of();
            }
            Map<TopicPartition, OffsetAndMetadata> out = durable;
            durable = new HashMap<>();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything handed over before this call is written (tests, close). */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = handedOver;
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                flushed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            Map<String, Versioned> batch;
            Map<TopicPartition, OffsetAndMetadata> positions;
            long upTo;
            lock.lock();
            try {
                while (running && pending.isEmpty() && marked.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (!running && pending.isEmpty() && marked.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = new LinkedHashMap<>();
                positions = marked;
                marked = new HashMap<>();
                upTo = handedOver;
            } finally {
                lock.unlock();
            }
            try {
                for (Versioned v : batch.values()) {
                    producer.send(KafkaTaskLog.stateRecord(v.task(), v.offset()));
                }
                if (!batch.isEmpty()) {
                    producer.flush();
                }
            } catch (RuntimeException e) {
                // as before this writer existed: a state write that fails is logged, the position still moves on
                // (the store's own checkpoint and the events log keep the fold; tasks.state is the cold start's aid)
                LOG.warnf("writing %d task states failed: %s", batch.size(), e.toString());
            }
            lock.lock();
            try {
                durable.putAll(positions);
                written = Math.max(written, upTo);
                flushed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes what waits, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Duration.ofSeconds(35));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
