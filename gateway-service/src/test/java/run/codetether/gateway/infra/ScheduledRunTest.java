package run.codetether.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.support.Await;

/**
 * Issue 19: a scheduled executor's run that throws ended the schedule without a word. On a real executor: a run that
 * throws (an exception, then an Error) turns readiness DOWN naming the schedule and the failure, the schedule goes on,
 * and the next run that completes turns it UP.
 */
class ScheduledRunTest {

    @Test
    void aFailedRunIsReadinessDownWithItsFailureTheScheduleGoesOnAndAGoodRunIsUpAgain() {
        AtomicInteger calls = new AtomicInteger();
        ScheduledRunsHealthCheck health = new ScheduledRunsHealthCheck();
        ScheduledRun run = health.watch(new ScheduledRun("probe", () -> {
            int n = calls.incrementAndGet();
            if (n == 2) {
                throw new IllegalStateException("run two broke");
            }
            if (n == 3) {
                throw new OutOfMemoryError("run three out of memory");
            }
        }));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus(), "nothing failed yet");
            // the runs are driven one by one, on the executor's thread, so the DOWN states can be seen between them
            runOnce(timer, run);
            assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus());
            runOnce(timer, run);
            HealthCheckResponse down = health.call();
            assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
            String why = String.valueOf(down.getData().orElseThrow().get("probe"));
            assertTrue(why.contains("IllegalStateException: run two broke") && why.contains("1 failed run"), why);
            runOnce(timer, run);
            why = String.valueOf(health.call().getData().orElseThrow().get("probe"));
            assertTrue(why.contains("OutOfMemoryError: run three out of memory") && why.contains("2 failed run"), why);
            runOnce(timer, run);
            assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus(), "a good run clears the failure");

            // and on a fixed-delay schedule (where a throwing Runnable ends it), runs go on past failures
            calls.set(1); // the next call is run two: it throws, then run three throws an Error
            timer.scheduleWithFixedDelay(run, 0, 5, TimeUnit.MILLISECONDS);
            Await.until(calls::get, n -> n >= 10, Duration.ofSeconds(20), "runs after two failed ones");
            Await.until(() -> health.call().getStatus(), HealthCheckResponse.Status.UP::equals,
                    Duration.ofSeconds(5), "UP again");
            assertTrue(run.failure().isEmpty(), "cleared: " + run.failure());
            Object runs = health.call().getData().orElseThrow().get("probe.runs");
            assertTrue(runs instanceof Long l && l >= 13, "every run counted in readiness: " + runs);
        } finally {
            timer.shutdownNow();
        }
    }

    private static void runOnce(ScheduledExecutorService timer, Runnable run) {
        try {
            timer.submit(run).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("a guarded run must not throw", e);
        }
    }
}
