package run.codetether.agent.domain.port;

import java.time.Duration;

/**
 * Runs a piece of work once after a delay, on threads shared by every run (no thread per task): the loop holds a
 * turn's first answer chunk for a short while and sends it when the hold expires ({@code AnswerStream}).
 */
public interface Scheduler {
    /**
     * Runs {@code work} after {@code delay} on a thread of the scheduler's, where it may block (it publishes to
     * Kafka); {@link Scheduled#cancel} before then keeps it from running.
     */
    Scheduled after(Duration delay, Runnable work);

    /** Work scheduled by {@link #after}. */
    interface Scheduled {
        /** It will not start; one already running goes on. */
        void cancel();
    }
}
