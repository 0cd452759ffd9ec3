package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

/**
 * A one-shot Kafka call of a start (a lookup of partitions, offsets, committed positions, topic ids) made again with
 * backoff while the broker does not answer, for up to the service's outage budget
 * ({@code codetether.kafka.outage-budget}), so a broker that goes away during a start costs the wait, not the
 * start (issue 19). A call that fails otherwise fails at once, as it did. A {@link ReadToEnd} waits the same way on
 * its own (its deadline moves with the outage).
 */
public final class OutageRetry {
    private static final Logger LOG = Logger.getLogger(OutageRetry.class);

    private OutageRetry() {}

    /** A Kafka call; an Admin future's get may throw the checked exceptions of a future. */
    @FunctionalInterface
    public interface Call<T> {
        T get() throws Exception;
    }

    /**
     * The budget of the client that made this consumer ({@link KafkaClients#outageBudget}); a consumer not made by a
     * {@link KafkaClients} (a test's) has the default, 5 min.
     */
    public static Duration budgetOf(Consumer<?, ?> consumer) {
        return consumer instanceof BudgetedConsumer<?, ?> b ? b.outageBudget() : KafkaOutage.DEFAULT_BUDGET;
    }

    /**
     * Makes the call, and again with backoff (100 ms doubling to 5 s) while it fails as an outage (a Kafka retriable
     * error, or a future's timeout), up to {@code budget} from the first failure.
     *
     * @param what the call, for the log and the failure ("the partitions of tasks.events")
     * @throws Spent when the broker did not answer for longer than the budget (its cause: the last error)
     * @throws RuntimeException the call's own, when it is no outage (a checked one wrapped in an
     *         {@link IllegalStateException}); a zero budget rethrows the first error as it came
     */
    public static <T> T call(String what, Duration budget, Call<T> call) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("codetether.kafka.outage-budget must be >= 0, not " + budget);
        }
        long since = -1;
        long backoffMs = KafkaOutage.FIRST_BACKOFF_MS;
        int failures = 0;
        while (true) {
            long began = System.nanoTime();
            try {
                T value = call.get();
                if (since >= 0) {
                    LOG.infof("%s: Kafka answers again after %d ms and %d failed tries", what,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), failures);
                }
                return value;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (budget.isZero() || !outage(cause)) {
                    throw cause instanceof RuntimeException r ? r
                            : new IllegalStateException(what + ": " + cause, cause);
                }
                failures++;
                if (since < 0) {
                    since = began; // the call got no answer from its start
                    LOG.warnf("%s: Kafka does not answer (%s); trying again for up to %s", what, cause, budget);
                }
                long spent = System.nanoTime() - since;
                if (spent >= budget.toNanos()) {
                    throw new Spent(what + ": Kafka did not answer for " + Duration.ofNanos(spent).toSeconds()
                            + " s, longer than codetether.kafka.outage-budget (" + budget + "), after " + failures
                            + " tries; last error: " + cause, cause);
                }
                try {
                    Thread.sleep(Math.min(backoffMs, TimeUnit.NANOSECONDS.toMillis(budget.toNanos() - spent) + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(ie); // closed while waiting: a loop stops cleanly
                }
                backoffMs = Math.min(backoffMs * 2, KafkaOutage.MAX_BACKOFF_MS);
            }
        }
    }

    /** A timeout of a future, or an error a broker that comes back cures. */
    static boolean outage(Throwable e) {
        return e instanceof TimeoutException || KafkaOutage.retriable(e);
    }

    /**
     * An outage longer than the budget: not retriable any more, so a {@link PollLoop} whose start made the call does
     * not wait a second budget out (its cause, the last Kafka error, is).
     */
    public static final class Spent extends IllegalStateException {
        Spent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
