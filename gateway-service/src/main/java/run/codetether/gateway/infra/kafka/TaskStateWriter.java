package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;

/**
 * Writes folded tasks to the compacted {@code tasks.state} topic on a thread of its own (issue 18), so the task event
 * reader only folds: it hands over a changed task and goes on, and never waits for a flush.
 *
 * <p>When a task is written: a task that settled (ended, or waits for input or auth) at the next {@link #mark} (the
 * end of the reader's poll), so one record per poll carries every settled change of the poll; a task still
 * submitted or working only once it stayed unsettled for {@code hold} (then at most once per {@code hold}). A task
 * that ends within {@code hold} of its first change, the common trivial task, costs one state record, not one per
 * state change (3.75 per task measured before; the record is a full Task with its JSON and summary encoded, the
 * largest cost of the writer). Which changes are handed over at all is the reader's rule ({@link #persists}):
 * streamed partial output is not, the next non-partial change carries it. Only the newest version of a task
 * waiting here is written.
 *
 * <p>Positions: the reader {@link #mark marks} the events positions its batch reached after handing over the batch's
 * tasks; a mark becomes {@link #durable() durable} once every task handed over before it was flushed to Kafka. The
 * reader commits only durable positions, so a replica restarted without its store never resumes past a state
 * record that was not written: holding a task back holds its position back, and a cold restart folds its events
 * again from the log (a commit lags the folds by about {@code hold} under steady load).
 */
public final class TaskStateWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskStateWriter.class);
    /** How long an unsettled task waits for a later change by default ({@code codetether.gateway.kafka.state-hold}). */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(1);

    private final KafkaProducer<String, Object> producer;
    private final long holdNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition flushed = lock.newCondition();
    /**
     * The newest version of each task not written yet, in the order they first waited (so the first entry holds the
     * oldest unwritten hand-over, and the earliest hold deadline).
     */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    /** Marks not durable yet, oldest first: the hand-overs before each must be written first. */
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
    /** Sequence of the last hand-over (each {@link #offer} takes the next). */
    private long handedOver;
    /** Oldest hand-over in the batch being written (Long.MAX_VALUE when none is in flight). */
    private long inFlightFirst = Long.MAX_VALUE;
    /** Whether a mark arrived since the thread last looked: settled tasks go out. */
    private boolean markArrived;
    /** Hand-overs up to this are written at once ({@link #awaitWritten}, close). */
    private long flushUpTo;
    private long recordsWritten;
    private volatile boolean running = true;
    private final Thread thread;
    /** The batch taken out of {@link #pending} and being written (null when none): put back when a write dies. */
    private List<Pending> inFlight;
    /** Why the thread's last write died (null once a write went through again): readiness reads it. */
    private volatile String failure;
    private int restarts;
    /** How long the thread waits after a write died before it writes again (tests shorten it). */
    private final long restartDelayMillis;

    private static final class Pending {
        Task task;
        long offset;
        final long firstSeq;
        final long firstNanos;

        Pending(Task task, long offset, long firstSeq, long firstNanos) {
            this.task = task;
            this.offset = offset;
            this.firstSeq = firstSeq;
            this.firstNanos = firstNanos;
        }

        boolean settled() {
            TaskState s = task.status() == null ? null : task.status().state();
            return s != null && (s.isTerminal() || s.isInterrupted());
        }
    }

    private record Mark(long seq, Map<TopicPartition, OffsetAndMetadata> positions) {}

    /** With the default hold ({@link #DEFAULT_HOLD}). */
    public TaskStateWriter(KafkaProducer<String, Object> producer, String name) {
        this(producer, name, DEFAULT_HOLD);
    }

    /**
     * @param producer the producer of state records (its delivery timeout bounds how long a flush may wait)
     * @param hold how long a task still submitted or working waits for a later change before it is written
     *     (zero: at the next mark, like a settled one)
     */
    public TaskStateWriter(KafkaProducer<String, Object> producer, String name, Duration hold) {
        this(producer, name, hold, Duration.ofSeconds(1));
    }

    /**
     * @param restartDelay how long the writer waits after a write died of an Error (an OutOfMemoryError while
     *     encoding a large task) before it writes again, the died batch first
     */
    public TaskStateWriter(KafkaProducer<String, Object> producer, String name, Duration hold,
            Duration restartDelay) {
        this.restartDelayMillis = Math.max(1, restartDelay.toMillis());
        if (hold.isNegative()) {
            throw new IllegalArgumentException("the tasks.state hold must not be negative: " + hold);
        }
        this.producer = producer;
        this.holdNanos = hold.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("task-state-writer-" + name).start(this::supervise);
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

    /** Hands over a task as folded up to {@code offset}; returns at once (it is written at a later mark). */
    public void offer(Task task, long offset) {
        lock.lock();
        try {
            long seq = ++handedOver;
            Pending before = pending.get(task.id());
            if (before == null) {
                pending.put(task.id(), new Pending(task, offset, seq, System.nanoTime()));
            } else if (before.offset <= offset) {
                before.task = task; // keeps its place and deadline: the first hand-over is what a mark waits for
                before.offset = offset;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The reader reached these positions (the end of its poll): the settled tasks handed over so far are written
     * now; the positions become durable after everything handed over before this call is written.
     */
    public void mark(Map<TopicPartition, OffsetAndMetadata> positions) {
        lock.lock();
        try {
            marks.addLast(new Mark(handedOver, Map.copyOf(positions)));
            promoteMarks();
            markArrived = true;
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

    /** How many state records were sent so far (tests, benchmarks). */
    public long recordsWritten() {
        lock.lock();
        try {
            return recordsWritten;
        } finally {
            lock.unlock();
        }
    }

    /** Writes everything handed over before this call now, held or not, and waits for it (tests, close). */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = handedOver;
            flushUpTo = Math.max(flushUpTo, target);
            work.signal();
            while (oldestUnwritten() <= target) {
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

    /** The sequence of the oldest hand-over not written yet (Long.MAX_VALUE: none). Under the lock. */
    private long oldestUnwritten() {
        long first = pending.isEmpty() ? Long.MAX_VALUE : pending.firstEntry().getValue().firstSeq;
        return Math.min(first, inFlightFirst);
    }

    /** Moves the marks whose hand-overs are all written to {@link #durable}. Under the lock. */
    private void promoteMarks() {
        long oldest = oldestUnwritten();
        while (!marks.isEmpty() && marks.peekFirst().seq() < oldest) {
            durable.putAll(marks.pollFirst().positions());
        }
    }

    /**
     * Takes what is due now out of {@link #pending}: everything when closing or asked to flush, the settled tasks
     * after a mark, and every task whose hold has passed. Under the lock.
     */
    private List<Pending> due(long now) {
        boolean all = !running;
        boolean settledToo = markArrived;
        markArrived = false;
        List<Pending> out = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (all || p.firstSeq <= flushUpTo || (settledToo && p.settled()) || now - p.firstNanos >= holdNanos) {
                out.add(p);
                it.remove();
            }
        }
        return out;
    }

    /** Why the writer's last write died, while it has not written again since (readiness is DOWN meanwhile). */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** How often a died write was started again. */
    public int restarts() {
        lock.lock();
        try {
            return restarts;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@link #loop} again after anything ends it abnormally. Before, an Error in a write (the serializer's
     * OutOfMemoryError on a large task) ended the thread: nothing was written again, no mark became durable (the
     * reader committed nothing), hand-overs piled up in memory and readiness stayed UP.
     */
    private void supervise() {
        while (true) {
            try {
                loop();
                return;
            } catch (Throwable e) {
                lock.lock();
                try {
                    failure = e.toString();
                    restarts++;
                    putBack();
                } finally {
                    lock.unlock();
                }
                LOG.errorf(e, "the tasks.state writer died (readiness DOWN); it writes again in %d ms, the tasks "
                        + "it was writing first", restartDelayMillis);
                try {
                    Thread.sleep(restartDelayMillis);
                } catch (InterruptedException ie) {
                    running = false; // closing: the loop writes what waits, then ends
                }
            }
        }
    }

    /**
     * Puts the batch that was being written back in front of {@link #pending}, oldest first (the marks need the
     * first entry to be the oldest hand-over); a task handed over again since keeps its newer state and the older
     * place. Under the lock.
     */
    private void putBack() {
        List<Pending> batch = inFlight;
        inFlight = null;
        inFlightFirst = Long.MAX_VALUE;
        if (batch == null) {
            return;
        }
        for (int i = batch.size() - 1; i >= 0; i--) {
            Pending old = batch.get(i);
            Pending newer = pending.remove(old.task.id());
            pending.putFirst(old.task.id(), newer == null ? old
                    : new Pending(newer.task, newer.offset, old.firstSeq, old.firstNanos));
        }
        flushed.signalAll();
    }

    private void loop() {
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                while (true) {
                    long now = System.nanoTime();
                    batch = due(now);
                    if (!batch.isEmpty() || (!running && pending.isEmpty())) {
                        break;
                    }
                    if (pending.isEmpty()) {
                        work.awaitUninterruptibly();
                    } else {
                        // the first entry waited longest: its hold ends first
                        long wait = pending.firstEntry().getValue().firstNanos + holdNanos - now;
                        try {
                            work.awaitNanos(Math.max(1, wait));
                        } catch (InterruptedException e) {
                            running = false; // writes what waits, then ends
                        }
                    }
                }
                if (batch.isEmpty()) {
                    promoteMarks();
                    flushed.signalAll();
                    return; // closed, nothing left
                }
                inFlightFirst = batch.stream().mapToLong(p -> p.firstSeq).min().orElse(Long.MAX_VALUE);
                inFlight = batch;
            } finally {
                lock.unlock();
            }
            try {
                for (Pending p : batch) {
                    producer.send(KafkaTaskLog.stateRecord(p.task, p.offset));
                }
                producer.flush();
            } catch (RuntimeException e) {
                // as before this writer existed: a state write that fails is logged, the position still moves on
                // (the store's own checkpoint and the events log keep the fold; tasks.state is the cold start's aid)
                LOG.warnf("writing %d task states failed: %s", batch.size(), e.toString());
            }
            lock.lock();
            try {
                inFlight = null;
                failure = null;
                inFlightFirst = Long.MAX_VALUE;
                recordsWritten += batch.size();
                promoteMarks();
                flushed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes what waits (held tasks too), then stops the thread. */
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
