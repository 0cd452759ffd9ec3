package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The platform's one-shot read: assign partitions, read each from a start offset up to a bound (the end offsets taken
 * when the read starts, or offsets the caller names), hand every record to a callback, and return; all within one
 * deadline that also covers the broker's metadata and offset look-ups, and a read that does not finish fails with
 * where it stood: {@code "<what> not read within PT30S: partition tasks.state-2 at offset 120 of 4000"}. A broker
 * that does not answer (down, restarting, hung: a look-up that times out, or no answer to one made when the
 * deadline passes) is an outage, waited out with backoff for up to the read's outage budget (by default the
 * {@code codetether.kafka.outage-budget} of the {@link KafkaClients} that made the consumer, {@link
 * OutageRetry#budgetOf}; {@link #outageBudget}) on top of the deadline, so a service that
 * starts while its broker restarts starts once it is back (issue 19); past the budget the read fails naming it. A
 * record written after the end snapshot is not awaited. Runs on the calling thread on a consumer the caller owns
 * (and closes); the consumer is left assigned and positioned right after the last record handed on (or at the
 * bound), so a {@link PollLoop} can follow on with it and miss nothing.
 *
 * <pre>{@code
 * ReadToEnd.Result r = ReadToEnd.of("tasks.state", consumer, deadline)
 *         .topic(Topics.TASKS_STATE)
 *         .startAt(checkpointOffsets)      // a partition without one starts at its beginning
 *         .forEach(this::restore);
 * }</pre>
 *
 * Not thread-safe (the consumer is not either).
 */
public final class ReadToEnd<K, V> {
    /** Where a partition's read starts, given its first and end offsets (clamped into that range). */
    @FunctionalInterface
    public interface Start {
        long at(TopicPartition tp, long begin, long end);

        /** Every record a partition still holds. */
        Start BEGINNING = (tp, begin, end) -> begin;

        /** The newest {@code count} records of each partition (fewer where it holds fewer). */
        static Start last(long count) {
            return (tp, begin, end) -> Math.max(begin, end - count);
        }
    }

    /**
     * Handles one record; {@code false} ends the read there (it found what it looked for). A runtime exception ends
     * the read and is thrown on.
     */
    @FunctionalInterface
    public interface Reader<K, V> {
        boolean next(ConsumerRecord<K, V> record);
    }

    /**
     * What a read did.
     *
     * @param records records handed to the callback
     * @param stopped whether the callback ended it before the bounds
     * @param next per partition, the offset up to which it was read: its bound once read to it, else the offset
     *        after the last record handed on (the start where none was); never past a record not handed on
     */
    public record Result(long records, boolean stopped, Map<TopicPartition, Long> next) {}

    private static final Logger LOG = Logger.getLogger(ReadToEnd.class);
    private static final Duration LONGEST_POLL = Duration.ofMillis(200);
    /** How long a look-up made when the deadline passed may take to tell an outage from a slow read. */
    static final Duration PROBE = Duration.ofSeconds(2);

    private final String what;
    private final Consumer<K, V> consumer;
    private final Duration timeout;
    /** System.nanoTime by which the read ends; moved on by the time an outage lasted. */
    private long deadline;
    private Duration outageBudget;
    private String topic;
    private List<TopicPartition> partitions;
    private Map<TopicPartition, Long> startOffsets = Map.of();
    private Start start = Start.BEGINNING;
    private Map<TopicPartition, Long> until;
    /** Whether the broker failed to answer at some point of this read (a {@link NotRead} then says so). */
    private boolean metOutage;

    private ReadToEnd(String what, Consumer<K, V> consumer, Duration timeout) {
        this.what = Objects.requireNonNull(what, "what");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the deadline of reading " + what + " must be positive, not " + timeout);
        }
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.outageBudget = OutageRetry.budgetOf(consumer);
    }

    /**
     * A read named {@code what} in its failure, which must finish within {@code timeout} from now.
     */
    public static <K, V> ReadToEnd<K, V> of(String what, Consumer<K, V> consumer, Duration timeout) {
        return new ReadToEnd<>(what, consumer, timeout);
    }

    /**
     * How long a broker that does not answer is waited for, beyond the deadline, before the read fails; zero fails at
     * the deadline (a request path that answers "retry" rather than wait). Default: the consumer's
     * ({@code codetether.kafka.outage-budget} of the clients that made it; 5 min for another consumer).
     */
    public ReadToEnd<K, V> outageBudget(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("the outage budget of reading " + what + " must be >= 0, not " + budget);
        }
        this.outageBudget = budget;
        return this;
    }

    /** Reads every partition of the topic (it must exist; its partitions are looked up within the deadline). */
    public ReadToEnd<K, V> topic(String name) {
        this.topic = Objects.requireNonNull(name, "topic");
        this.partitions = null;
        return this;
    }

    /** Reads these partitions only. */
    public ReadToEnd<K, V> partitions(List<TopicPartition> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no partitions to read for " + what);
        }
        this.partitions = List.copyOf(parts);
        this.topic = null;
        return this;
    }

    /** Starts each partition where {@code start} says (it is told the partition's first and end offsets). */
    public ReadToEnd<K, V> startAt(Start where) {
        this.start = Objects.requireNonNull(where, "start");
        return this;
    }

    /**
     * Starts each partition at its offset here; a partition not named starts where {@link #startAt(Start)} says (by
     * default its beginning). When every partition is named and has an {@link #until}, the read asks the broker for
     * no offsets at all (a targeted read on a hot path).
     */
    public ReadToEnd<K, V> startAt(Map<TopicPartition, Long> offsets) {
        this.startOffsets = Map.copyOf(offsets);
        return this;
    }

    /**
     * Reads each partition up to (not including) these offsets instead of its end offset of the start: records the
     * caller knows exist. A partition not named here is read to its end offset of the start.
     */
    public ReadToEnd<K, V> until(Map<TopicPartition, Long> offsets) {
        this.until = Map.copyOf(offsets);
        return this;
    }

    /** Hands every record on; returns once every partition is read to its bound. */
    public Result forEach(java.util.function.Consumer<ConsumerRecord<K, V>> handler) {
        return read(r -> {
            handler.accept(r);
            return true;
        });
    }

    /**
     * Reads until every partition reached its bound or the reader returns {@code false}.
     *
     * @throws IllegalStateException when the topic does not exist, or the read does not finish by the deadline
     *         ({@link NotRead}, naming the partition that stood furthest from its bound)
     */
    public Result read(Reader<K, V> reader) {
        try {
            return readAll(reader);
        } catch (NotRead e) {
            e.outage = metOutage || e.outage;
            throw e;
        }
    }

    private Result readAll(Reader<K, V> reader) {
        List<TopicPartition> parts = partitions != null ? partitions : partitionsOfTopic();
        Map<TopicPartition, Long> bound = bounds(parts);
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        consumer.assign(parts);
        Map<TopicPartition, Long> begins = needsBeginnings(parts) ? offsets(parts, true) : Map.of();
        List<TopicPartition> open = new ArrayList<>();
        for (TopicPartition tp : parts) {
            long end = bound.get(tp);
            long from = startOf(tp, begins.get(tp), end);
            consumer.seek(tp, from);
            next.put(tp, from);
            if (from < end) {
                open.add(tp);
            }
        }
        long count = 0;
        try {
            while (!open.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // polls return nothing while the broker is away: a look-up tells an outage from a slow read
                    List<TopicPartition> stuck = List.copyOf(open);
                    if (outageBudget.isZero() || !ask("the end offsets of " + stuck, PROBE,
                            t -> consumer.endOffsets(stuck, t)).outage()) {
                        throw notRead(open, next, bound);
                    }
                    // the polls before the probe got nothing either (the broker was away then too): a fresh deadline,
                    // else the next pass would find it already past and fail with no poll since the broker came back
                    deadline = System.nanoTime() + timeout.toNanos();
                    continue;
                }
                consumer.pause(pausedOf(parts, open));
                for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofNanos(Math.min(left, LONGEST_POLL.toNanos())))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= bound.get(tp) || !open.contains(tp)) {
                        continue; // written after the snapshot, or past the caller's bound: not this read's
                    }
                    next.put(tp, r.offset() + 1);
                    count++;
                    if (!reader.next(r)) {
                        return done(count, true, next);
                    }
                }
                // a partition whose remaining offsets were compacted away or are transaction markers ends by position
                open.removeIf(tp -> {
                    long end = bound.get(tp);
                    if (consumer.position(tp) < end && next.get(tp) < end) {
                        return false;
                    }
                    next.put(tp, end);
                    return true;
                });
            }
        } finally {
            consumer.resume(parts); // a consumer the caller reuses must not keep partitions paused
        }
        return done(count, false, next);
    }

    /**
     * Positions every partition where the read got to: a poll may have fetched records past the bound (or past the
     * record that stopped the read), which this read did not hand on, so a loop that follows on with this consumer
     * starts exactly after the last record handed on.
     */
    private Result done(long count, boolean stopped, Map<TopicPartition, Long> next) {
        next.forEach(consumer::seek);
        return new Result(count, stopped, Map.copyOf(next));
    }

    private static List<TopicPartition> pausedOf(List<TopicPartition> parts, List<TopicPartition> open) {
        List<TopicPartition> done = new ArrayList<>(parts);
        done.removeAll(open);
        return done;
    }

    private List<TopicPartition> partitionsOfTopic() {
        if (topic == null) {
            throw new IllegalStateException("reading " + what + ": name a topic or partitions");
        }
        List<TopicPartition> parts;
        try {
            parts = ask("the partitions of " + topic, null, t -> CatchUp.partitionsOf(consumer, topic, t)).value();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new NotRead(what + " not read within " + timeout + ": the broker did not tell the partitions of "
                    + topic + " (" + e.getMessage() + ")", e);
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException("Kafka topic " + topic + " does not exist (reading " + what + ")");
        }
        return parts;
    }

    private Map<TopicPartition, Long> bounds(List<TopicPartition> parts) {
        Map<TopicPartition, Long> out = new HashMap<>();
        List<TopicPartition> unknown = new ArrayList<>();
        for (TopicPartition tp : parts) {
            Long u = until == null ? null : until.get(tp);
            if (u == null) {
                unknown.add(tp);
            } else {
                out.put(tp, u);
            }
        }
        if (!unknown.isEmpty()) {
            out.putAll(offsets(unknown, false));
        }
        return out;
    }

    private boolean needsBeginnings(List<TopicPartition> parts) {
        return !startOffsets.keySet().containsAll(parts);
    }

    /** The caller's offset where it named one (the consumer's reset policy covers one the log no longer holds). */
    private long startOf(TopicPartition tp, Long begin, long end) {
        Long named = startOffsets.get(tp);
        if (named != null) {
            return named;
        }
        return Math.min(end, Math.max(begin, start.at(tp, begin, end)));
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> parts, boolean beginning) {
        try {
            return ask("the " + (beginning ? "first" : "end") + " offsets of " + parts, null,
                    t -> beginning ? consumer.beginningOffsets(parts, t) : consumer.endOffsets(parts, t)).value();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new NotRead(what + " not read within " + timeout + ": the " + (beginning ? "first" : "end")
                    + " offsets of " + parts + " were not told by the broker (" + e.getMessage() + ")", e);
        }
    }

    /** A broker call's answer, and whether an outage was waited out to get it. */
    private record Answer<T>(T value, boolean outage) {}

    /**
     * Makes a broker call with what is left of the deadline (or {@code probe}, for one made when it passed), and
     * waits out an outage: while the call times out it is made again with backoff, each try bounded by what is left
     * of the outage budget, and the deadline moves on by the outage's length once the broker answers.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException the call's, when the budget is zero
     * @throws NotRead when the deadline passed, or the outage outlasted the budget
     */
    private <T> Answer<T> ask(String forWhat, Duration probe, java.util.function.Function<Duration, T> call) {
        long since = -1;
        long backoffMs = KafkaOutage.FIRST_BACKOFF_MS;
        int failures = 0;
        while (true) {
            long began = System.nanoTime();
            Duration wait = since >= 0 ? Duration.ofNanos(Math.max(1_000_000, since + outageBudget.toNanos() - began))
                    : probe != null ? probe : remaining(forWhat);
            try {
                T value = call.apply(wait);
                if (since >= 0) {
                    metOutage = true;
                    deadline += System.nanoTime() - since; // the outage does not count against the read
                    LOG.infof("reading %s: Kafka answers again after %d ms and %d failed tries", what,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), failures);
                }
                return new Answer<>(value, since >= 0);
            } catch (RuntimeException e) {
                if (outageBudget.isZero() || !KafkaOutage.retriable(e)) {
                    metOutage |= KafkaOutage.retriable(e); // no answer, not waited out: the read fails as an outage
                    throw e;
                }
                failures++;
                if (since < 0) {
                    since = began; // the call got no answer from its start
                    LOG.warnf("reading %s: Kafka does not answer for %s (%s); waiting for up to %s", what, forWhat,
                            e.toString(), outageBudget);
                }
                long spent = System.nanoTime() - since;
                if (spent >= outageBudget.toNanos()) {
                    metOutage = true;
                    throw new NotRead(what + " not read: Kafka did not answer for " + forWhat + " for "
                            + Duration.ofNanos(spent).toSeconds() + " s, longer than codetether.kafka.outage-budget ("
                            + outageBudget + "), after " + failures + " tries; last error: " + e, e);
                }
                sleep(Math.min(backoffMs, TimeUnit.NANOSECONDS.toMillis(outageBudget.toNanos() - spent) + 1));
                backoffMs = Math.min(backoffMs * 2, KafkaOutage.MAX_BACKOFF_MS);
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotRead("interrupted reading " + what + " while Kafka did not answer", e);
        }
    }

    /** What is left of the deadline for a broker call (at least a millisecond, so the call fails rather than hangs). */
    private Duration remaining(String forWhat) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new NotRead(what + " not read within " + timeout + ": the broker did not answer for " + forWhat);
        }
        return Duration.ofNanos(Math.max(left, 1_000_000));
    }

    private NotRead notRead(List<TopicPartition> open, Map<TopicPartition, Long> next,
            Map<TopicPartition, Long> bound) {
        TopicPartition worst = open.get(0);
        for (TopicPartition tp : open) {
            if (bound.get(tp) - next.get(tp) > bound.get(worst) - next.get(worst)) {
                worst = tp;
            }
        }
        String others = open.size() > 1 ? " (and " + (open.size() - 1) + " more partitions not read to the end)" : "";
        return new NotRead(what + " not read within " + timeout + ": partition " + worst + " at offset "
                + next.get(worst) + " of " + bound.get(worst) + others);
    }

    /** A one-shot read that did not finish by its deadline; the message says where it stood. */
    public static final class NotRead extends IllegalStateException {
        private boolean outage;

        /**
         * Whether the broker did not answer at some point of the read (an outage, waited out or not), as against a
         * read that was merely slow with the broker answering throughout.
         */
        public boolean outage() {
            return outage;
        }

        NotRead(String message) {
            super(message);
        }

        NotRead(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
