package run.codetether.gateway.infra;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import run.codetether.platform.kafka.PollLoop;

/**
 * The gateway's Kafka loops that died and were not started again. The task event reader restarts itself; the
 * others (push delivery, push configs, start sweep, worker bus, dashboard and cognition feeds) turn readiness
 * {@code kafka-loops} DOWN and stay dead, and readiness restarts nothing. A loop that stays failed past
 * {@code timeout} hands its name and failure to {@code onStuck} (the gateway exits with it and is started again).
 * A loop started again under its name within the timeout replaces the failed one and is forgotten.
 */
public final class FailedLoopWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FailedLoopWatch.class);

    private final Supplier<List<PollLoop.Status>> failed;
    private final Duration timeout;
    private final Consumer<String> onStuck;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("failed-loop-watch").factory());
    /** Loop name -> when it was first seen failed (System.nanoTime). Only the timer thread touches it. */
    private final Map<String, Long> since = new HashMap<>();
    private volatile boolean stuck;

    public FailedLoopWatch(Supplier<List<PollLoop.Status>> failed, Duration timeout, Duration interval,
            Consumer<String> onStuck) {
        if (timeout.isNegative() || timeout.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the failed-loop watch needs a positive timeout and interval, not "
                    + timeout + " and " + interval);
        }
        this.failed = failed;
        this.timeout = timeout;
        this.onStuck = onStuck;
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            List<PollLoop.Status> now = failed.get();
            since.keySet().retainAll(now.stream().map(PollLoop.Status::name).toList());
            long t = System.nanoTime();
            for (PollLoop.Status s : now) {
                long first = since.computeIfAbsent(s.name(), n -> t);
                if (!stuck && t - first >= timeout.toNanos()) {
                    stuck = true;
                    timer.shutdown();
                    onStuck.accept(String.format("the Kafka loop %s died (%s) and was not started again within %s; "
                            + "exiting so that the gateway is started again", s.name(),
                            s.failure().orElse("no cause"), timeout));
                    return;
                }
            }
        } catch (RuntimeException e) {
            // a check that throws must not end the schedule (a dead watch would never exit a broken gateway)
            LOG.warnf("checking the Kafka loops failed: %s", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
