package run.codetether.agent.domain.loop;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import run.codetether.agent.domain.port.Scheduler;

/**
 * The loop's {@link Scheduler}: one daemon timer thread for every run of the process, which hands each due piece of
 * work to a virtual thread of its own, so that a publish that waits for the broker holds up no other run's timer.
 * Cancelled work leaves the queue at once: nearly every turn's hold is cancelled (the answer finished first).
 */
final class SharedScheduler implements Scheduler {
    static final SharedScheduler INSTANCE = new SharedScheduler();

    private final ScheduledThreadPoolExecutor timer;

    private SharedScheduler() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "agent-loop-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Scheduled after(Duration delay, Runnable work) {
        ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name("agent-loop-timed").start(work),
                delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
