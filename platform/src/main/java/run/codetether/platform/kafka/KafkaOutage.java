package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * One {@link PollLoop}'s view of a broker outage (issue 19): a Kafka call of the loop that fails with a retriable
 * error (a timeout of {@code endOffsets}, {@code offsetsForTimes}, {@code position}, {@code committed},
 * {@code partitionsFor}, a commit; a producer's send that timed out in a handler) is tried again with a backoff
 * from {@value #FIRST_BACKOFF_MS} ms doubling to {@value #MAX_BACKOFF_MS} ms, for as long as the outage lasts up to
 * the budget ({@code codetether.kafka.outage-budget}, default {@link #DEFAULT_BUDGET}); longer, the loop dies as
 * before (readiness DOWN; the gateway exits 4). An outage ends only after a real round trip: the step that failed
 * succeeds, or a later step of a pass that proves the broker answers (a non-empty poll, a commit). A pass that merely
 * does not throw proves nothing: while the broker is down, poll() returns empty without an error. Loop thread only,
 * except {@link #stop()}.
 */
final class KafkaOutage {
    /** {@code codetether.kafka.outage-budget}'s default: issue 19 asks for at least five minutes. */
    static final Duration DEFAULT_BUDGET = Duration.ofMinutes(5);
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;
    private static final Logger LOG = Logger.getLogger(KafkaOutage.class);

    /** A loop pass's steps, in their order; a step's success ends an outage of its own step or of an earlier one. */
    enum Step { START, BEFORE_POLL, POLL, HANDLE, COMMIT }

    private final String loop;
    private final Duration budget;
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** When the outage began (System.nanoTime), or -1 while Kafka answers. */
    private long since = -1;
    private long backoffMs;
    private int failures;
    private Step failed;
    private volatile String current;

    KafkaOutage(String loop, Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("codetether.kafka.outage-budget must be >= 0, not " + budget);
        }
        this.loop = loop;
        this.budget = budget;
    }

    /** Whether the error is one a broker that comes back cures (its own class or one of its causes). */
    static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptException) {
                return false; // a close, never an outage
            }
            if (t instanceof OutageRetry.Spent) {
                return false; // a start's call that waited its budget out already: not a second budget
            }
            if (t instanceof RetriableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * After a failed pass: waits out the backoff and returns normally when the loop should try again; rethrows
     * {@code e} when it is no outage, and throws an {@link IllegalStateException} naming the budget when the outage
     * outlasted it. Returns at once (the loop then ends) when {@link #stop()} was called.
     */
    void retryOrThrow(Exception e, Step step) throws Exception {
        if (!retriable(e)) {
            throw e;
        }
        long now = System.nanoTime();
        if (since < 0) {
            since = now;
            backoffMs = FIRST_BACKOFF_MS;
            LOG.warnf("Kafka loop %s: Kafka does not answer (%s); trying again for up to %s", loop, e.toString(),
                    budget);
        }
        failures++;
        failed = step;
        current = e.getClass().getSimpleName() + ": " + e.getMessage();
        long spent = now - since;
        if (spent >= budget.toNanos()) {
            throw new IllegalStateException("Kafka did not answer for " + Duration.ofNanos(spent).toSeconds()
                    + " s, longer than codetether.kafka.outage-budget (" + budget + "), after " + failures
                    + " tries; last error: " + current, e);
        }
        long wait = Math.min(backoffMs, TimeUnit.NANOSECONDS.toMillis(budget.toNanos() - spent) + 1);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        try {
            stopping.await(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new InterruptException(ie);
        }
    }

    /**
     * A step went through with a round trip to the broker: the outage, if any, is over when the step that failed
     * last is this one or an earlier one (a handler that failed is not cured by a poll that read its records again).
     */
    void answered(Step step) {
        if (since >= 0 && step.compareTo(failed) >= 0) {
            LOG.infof("Kafka loop %s: Kafka answers again after %d ms and %d failed tries", loop,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), failures);
            since = -1;
            failures = 0;
            failed = null;
            current = null;
        }
    }

    /** The outage in progress ("retrying since ... : cause"), for the loop's status; null while Kafka answers. */
    String describe() {
        String c = current;
        return c == null ? null : "Kafka unreachable, retrying: " + c;
    }

    /** Ends a backoff wait at once (the loop is closing). */
    void stop() {
        stopping.countDown();
    }
}
