package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One consumer on one platform thread: the platform's only hand-written Kafka poll loop. It owns the consumer from
 * {@link #start()} to {@link #close()} (the consumer is not thread-safe: every call on it happens on the loop thread,
 * in the hooks). Guarantees:
 * <ul>
 *   <li>clean shutdown: {@link #close()} wakes the consumer, waits for the loop to finish the batch in hand, runs
 *       {@code onStop}, closes the consumer (leaving its group at once) and returns;</li>
 *   <li>broker outages: a retriable Kafka error of a pass (a hook's offsets lookup that timed out, a commit, a
 *       handler's send) is retried with backoff for up to the outage budget ({@link KafkaOutage}); records whose
 *       handling it stopped are read again (at least once). Only an outage longer than the budget ends the loop, and
 *       any error out of {@code poll()} itself (a rebalance callback's, which Kafka does not call again);</li>
 *   <li>failure signalling: an exception that escapes the loop (a broker error, a handler failure under
 *       {@link RecordErrors#FAIL}) ends it in state {@link State#FAILED}, logged with its cause; {@link LoopHealth}
 *       then reports the service not ready, so Kubernetes stops routing to a replica that no longer consumes;</li>
 *   <li>a record that cannot be handled is logged (topic, partition, offset, key) and skipped under
 *       {@link RecordErrors#SKIP}, so one bad record never stalls a partition;</li>
 *   <li>commit policy: {@link Commit#AFTER_BATCH} commits synchronously after each handled, non-empty batch, after
 *       {@code beforeCommit} (e.g. flushing what the batch produced): at least once. {@link Commit#NONE} for
 *       group-less readers and loops that commit themselves in a batch handler.</li>
 * </ul>
 */
public final class PollLoop<K, V> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PollLoop.class);

    public enum State { NEW, RUNNING, STOPPED, FAILED }

    public enum Commit { NONE, AFTER_BATCH }

    public enum RecordErrors {
        /** Log the record's coordinates and the error, go on with the next record. */
        SKIP,
        /** The loop dies: for records that must not be skipped (the loop's {@link State#FAILED} is visible). */
        FAIL
    }

    /** What a loop is doing, for readiness and logs. */
    public record Status(String name, State state, Optional<String> failure) {}

    @FunctionalInterface
    public interface RecordHandler<K, V> {
        void handle(ConsumerRecord<K, V> record) throws Exception;
    }

    @FunctionalInterface
    public interface BatchHandler<K, V> {
        void handle(ConsumerRecords<K, V> records, KafkaConsumer<K, V> consumer) throws Exception;
    }

    private final String name;
    private final KafkaConsumer<K, V> consumer;
    private final Builder<K, V> b;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean running = true;
    private boolean started;
    private volatile State state = State.NEW;
    private volatile String failure;
    private volatile Throwable cause;
    private final KafkaOutage outage;

    private PollLoop(Builder<K, V> b) {
        this.b = b;
        this.name = b.name;
        this.consumer = b.consumer;
        this.outage = new KafkaOutage(name, b.outageBudget != null ? b.outageBudget
                : b.health != null ? b.health.outageBudget() : KafkaOutage.DEFAULT_BUDGET);
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    public static <K, V> Builder<K, V> builder(String name, KafkaConsumer<K, V> consumer) {
        return new Builder<>(name, consumer);
    }

    public String name() {
        return name;
    }

    public State state() {
        return state;
    }

    /** The failure of a dead loop; of a running one, the outage it is waiting out, if any. */
    public Status status() {
        String f = failure;
        return new Status(name, state, Optional.ofNullable(f != null ? f : outage.describe()));
    }

    public synchronized PollLoop<K, V> start() {
        if (started) {
            throw new IllegalStateException("Kafka loop " + name + " was started or closed already");
        }
        started = true;
        if (b.health != null) {
            b.health.register(this);
        }
        thread.start();
        return this;
    }

    /** Whether the loop ended (stopped or failed) within the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (running) { // close() in the start hook's backoff: the hook is not run once more
                try {
                    b.onStart.accept(consumer);
                    outage.answered(KafkaOutage.Step.START);
                    break;
                } catch (RuntimeException e) {
                    if (!running) {
                        throw e;
                    }
                    outage.retryOrThrow(e, KafkaOutage.Step.START); // a start hook asks Kafka too (end offsets)
                }
            }
            if (!running) {
                return; // closed while starting (e.g. while the hook waited for its topic)
            }
            state = State.RUNNING;
            boolean uncommitted = false;
            while (running) {
                KafkaOutage.Step step = KafkaOutage.Step.BEFORE_POLL;
                try {
                    b.beforePoll.accept(consumer);
                    outage.answered(step);
                    step = KafkaOutage.Step.POLL;
                    ConsumerRecords<K, V> records = consumer.poll(b.pollTimeout);
                    if (!records.isEmpty()) {
                        outage.answered(step); // a fetch came back: empty polls prove nothing (issue 19)
                    }
                    step = KafkaOutage.Step.HANDLE;
                    // a batch handler sees empty batches too: it may commit what finished meanwhile (the agent's
                    // intake does), and that call is a round trip; a record handler's empty pass proves nothing
                    handleOrRewind(records);
                    if (!records.isEmpty() || b.batchHandler != null) {
                        outage.answered(step);
                    }
                    uncommitted |= b.commit == Commit.AFTER_BATCH && !records.isEmpty();
                    if (uncommitted && running) {
                        // a commit that failed in an outage is made by the next pass: the position holds the batch
                        step = KafkaOutage.Step.COMMIT;
                        b.beforeCommit.run();
                        consumer.commitSync();
                        uncommitted = false;
                        outage.answered(step);
                    }
                } catch (Exception e) {
                    if (!running) {
                        throw e;
                    }
                    if (step == KafkaOutage.Step.POLL) {
                        /*
                         * What poll() throws is never retried: a rebalance callback's error comes out of poll()
                         * (kafka-clients 4.1 ConsumerCoordinator.onJoinComplete/onLeavePrepare and
                         * invokePartitionsRevoked rethrow a KafkaException as it is, a TimeoutException included, and
                         * wrap any other in KafkaException("User rebalance callback throws an error")), and Kafka does
                         * not call the callback again: the partitions stay assigned but never set up. The loop ends
                         * (readiness DOWN, restart) as before issue 19's retries. poll() itself waits out an outage
                         * by returning nothing.
                         */
                        throw e;
                    }
                    outage.retryOrThrow(e, step);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (running) {
                fail(e); // nobody asked it to stop
            }
        } catch (Throwable e) {
            fail(e);
        } finally {
            if (!running) {
                Thread.interrupted(); // close() may have interrupted a waiting hook: close the consumer cleanly
            }
            try {
                b.onStop.accept(consumer);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Kafka loop %s: stopping hook failed: %s", name, e.getMessage());
            }
            try {
                consumer.close(b.closeTimeout);
            } catch (RuntimeException e) {
                LOG.warnf("Kafka loop %s: consumer close failed: %s", name, e.getMessage());
            }
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            ended.countDown();
        }
        Throwable failed = cause;
        if (failed != null) {
            try {
                b.onFailure.accept(failed);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Kafka loop %s: failure hook failed: %s", name, e.getMessage());
            }
        }
    }

    /**
     * Handles the batch; when a retriable Kafka error (an outage) stops it, the consumer is sent back to the first
     * record not handled of each partition (the whole batch for a batch handler), so that the pass after the outage
     * reads them again: at least once, as after a restart.
     */
    private void handleOrRewind(ConsumerRecords<K, V> records) throws Exception {
        Map<TopicPartition, Long> unhandled = new HashMap<>();
        for (ConsumerRecord<K, V> r : records) {
            unhandled.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
        }
        try {
            handle(records, unhandled);
        } catch (Exception e) {
            if (KafkaOutage.retriable(e)) {
                Set<TopicPartition> assigned = consumer.assignment();
                unhandled.forEach((tp, offset) -> {
                    if (assigned.contains(tp)) {
                        consumer.seek(tp, offset);
                    }
                });
            }
            throw e;
        }
    }

    /** @param unhandled per partition, the first record not handled yet (moved on as records are handled) */
    private void handle(ConsumerRecords<K, V> records, Map<TopicPartition, Long> unhandled) throws Exception {
        if (b.batchHandler != null) {
            b.batchHandler.handle(records, consumer);
            return;
        }
        for (ConsumerRecord<K, V> r : records) {
            if (!running) {
                return; // closing: the rest stays uncommitted for the next owner
            }
            try {
                b.recordHandler.handle(r);
                unhandled.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            } catch (Exception e) {
                if (KafkaOutage.retriable(e)) {
                    // not the record's fault: read it again after the outage; its coordinates name the outage
                    throw new KafkaException("Kafka did not answer handling " + r.topic() + " record at "
                            + r.partition() + "/" + r.offset() + ": " + e, e);
                }
                if (b.recordErrors == RecordErrors.FAIL) {
                    throw new IllegalStateException("cannot handle " + r.topic() + " record at " + r.partition() + "/"
                            + r.offset() + ": " + e.getMessage(), e);
                }
                LOG.errorf(e, "Kafka loop %s: skipping %s record at %d/%d (key %s): %s", name, r.topic(), r.partition(),
                        r.offset(), r.key(), e.getMessage());
                unhandled.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
        }
    }

    private void fail(Throwable e) {
        cause = e;
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        state = State.FAILED;
        LOG.errorf(e, "Kafka loop %s died (%s); the service reports not ready until it is restarted", name, failure);
    }

    /** Stops the loop and waits for it (the consumer is closed on the loop thread). Idempotent. */
    @Override
    public void close() {
        running = false;
        outage.stop();
        synchronized (this) {
            if (!started) {
                started = true; // a loop never started closes its consumer here, and cannot start any more
                consumer.close(Duration.ZERO);
                state = State.STOPPED;
                ended.countDown();
                return;
            }
        }
        if (ended.getCount() == 0) {
            return;
        }
        consumer.wakeup();
        if (state == State.NEW) {
            thread.interrupt(); // an onStart hook that waits (for a topic to appear) stops waiting
        }
        try {
            if (!ended.await(b.closeTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                LOG.warnf("Kafka loop %s did not stop in time; interrupting it", name);
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link PollLoop}; {@code onRecord} or {@code onBatch} is required. */
    public static final class Builder<K, V> {
        private final String name;
        private final KafkaConsumer<K, V> consumer;
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Consumer<KafkaConsumer<K, V>> onStart = c -> {};
        private Consumer<KafkaConsumer<K, V>> beforePoll = c -> {};
        private Consumer<KafkaConsumer<K, V>> onStop = c -> {};
        private Consumer<Throwable> onFailure = e -> {};
        private RecordHandler<K, V> recordHandler;
        private BatchHandler<K, V> batchHandler;
        private RecordErrors recordErrors = RecordErrors.SKIP;
        private Commit commit = Commit.NONE;
        private Runnable beforeCommit = () -> {};
        private LoopHealth health;
        private Duration outageBudget;

        private Builder(String name, KafkaConsumer<K, V> consumer) {
            this.name = Objects.requireNonNull(name, "name");
            this.consumer = Objects.requireNonNull(consumer, "consumer");
        }

        /**
         * Runs first on the loop thread: subscribe (with a rebalance listener) or assign and seek. A hook that waits
         * (for a topic to appear) is interrupted by {@link PollLoop#close()}: it may end by throwing Kafka's
         * {@link InterruptException}, which then counts as a clean stop.
         */
        public Builder<K, V> onStart(Consumer<KafkaConsumer<K, V>> hook) {
            this.onStart = hook;
            return this;
        }

        /** Runs before every poll on the loop thread: seeks others asked for, pause/resume. */
        public Builder<K, V> beforePoll(Consumer<KafkaConsumer<K, V>> hook) {
            this.beforePoll = hook;
            return this;
        }

        /** Runs last on the loop thread, before the consumer closes: hand over what the loop holds. */
        public Builder<K, V> onStop(Consumer<KafkaConsumer<K, V>> hook) {
            this.onStop = hook;
            return this;
        }

        /**
         * Runs on the loop thread after a loop died ({@link State#FAILED}, consumer closed, {@link #awaitEnd} done),
         * with what ended it: a supervisor may start a fresh loop under the same name with other settings (it then
         * replaces this one in {@link LoopHealth}).
         */
        public Builder<K, V> onFailure(Consumer<Throwable> hook) {
            this.onFailure = hook;
            return this;
        }

        /** Handles one record at a time (a null value, a tombstone, is passed on too). */
        public Builder<K, V> onRecord(RecordHandler<K, V> handler) {
            this.recordHandler = handler;
            return this;
        }

        /** Handles each poll's batch itself (its errors end the loop). */
        public Builder<K, V> onBatch(BatchHandler<K, V> handler) {
            this.batchHandler = handler;
            return this;
        }

        public Builder<K, V> recordErrors(RecordErrors policy) {
            this.recordErrors = policy;
            return this;
        }

        /** @param beforeCommit runs on the loop thread before each commit (flush what the batch produced) */
        public Builder<K, V> commit(Commit policy, Runnable beforeCommit) {
            this.commit = policy;
            this.beforeCommit = beforeCommit;
            return this;
        }

        public Builder<K, V> commit(Commit policy) {
            return commit(policy, () -> {});
        }

        /** Longest wait of one poll; default 100 ms. */
        public Builder<K, V> pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        /** How long closing the consumer may take (leaving the group, committing); default 5 s. */
        public Builder<K, V> closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * How long the loop waits out a broker outage, retrying its Kafka calls with backoff, before it dies; 0 dies
         * at the first error. Default: its {@link LoopHealth}'s ({@code codetether.kafka.outage-budget}), else 5 min.
         */
        public Builder<K, V> outageBudget(Duration budget) {
            if (budget.isNegative()) {
                throw new IllegalArgumentException("Kafka loop " + name + ": the outage budget must be >= 0, not "
                        + budget);
            }
            this.outageBudget = budget;
            return this;
        }

        /** Where the loop reports its state for readiness. */
        public Builder<K, V> health(LoopHealth registry) {
            this.health = registry;
            return this;
        }

        public PollLoop<K, V> build() {
            if ((recordHandler == null) == (batchHandler == null)) {
                throw new IllegalStateException("Kafka loop " + name + ": set exactly one of onRecord and onBatch");
            }
            return new PollLoop<>(this);
        }

        public PollLoop<K, V> start() {
            return build().start();
        }
    }
}
