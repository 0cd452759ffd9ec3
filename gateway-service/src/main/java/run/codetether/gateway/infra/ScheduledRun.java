package run.codetether.gateway.infra;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One run of a scheduled executor's task, kept from ending the schedule. A {@code ScheduledExecutorService} stops
 * scheduling a task whose run throws, without a word: the no-agent watchdog would stop telling waiting tasks, the
 * tenant bindings would stop following their file, and the gateway would look healthy. Here a run that throws
 * (an Error too: an OutOfMemoryError in one run need not be the next one's) is logged, kept as this run's
 * {@link #failure} (readiness {@value ScheduledRunsHealthCheck#NAME} DOWN with it), and the schedule goes on; the
 * next run that completes clears it. Thread-safe.
 */
public final class ScheduledRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(ScheduledRun.class);

    /** The last failed run: what it threw, when, and how many runs failed since the start. */
    public record Failure(String name, String cause, Instant at, long failures) {
        /** What readiness says: which schedule failed, with what, when, and how often. */
        public String describe() {
            return cause + " at " + at + " (" + failures + " failed run(s) since the start)";
        }
    }

    private final String name;
    private final Runnable body;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private volatile Failure failure;

    /** @param name the schedule's name in readiness and logs ("no-agent-watchdog") */
    public ScheduledRun(String name, Runnable body) {
        this.name = name;
        this.body = body;
    }

    public String name() {
        return name;
    }

    @Override
    public void run() {
        runs.incrementAndGet();
        try {
            body.run();
        } catch (Throwable t) {
            Failure f = new Failure(name, t.toString(), Instant.now(), failures.incrementAndGet());
            failure = f;
            LOG.errorf(t, "the scheduled run %s failed: readiness %s DOWN until a later run completes; it runs again "
                    + "on its schedule", name, ScheduledRunsHealthCheck.NAME);
            return;
        }
        Failure before = failure;
        if (before != null) {
            failure = null;
            LOG.infof("the scheduled run %s completed again after %d failed run(s)", name, before.failures());
        }
    }

    /** The last run's failure; empty when the last run completed (or none ran yet). */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** How many runs started, failed or not. */
    public long runs() {
        return runs.get();
    }
}
