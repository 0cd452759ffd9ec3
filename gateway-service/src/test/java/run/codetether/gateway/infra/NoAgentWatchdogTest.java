package run.codetether.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.gateway.domain.NoAgentNotice;
import run.codetether.contracts.events.TaskControl;
import run.codetether.gateway.domain.TaskLog;
import run.codetether.gateway.support.Await;

/**
 * Issue 19: the no-agent watchdog on its real schedule. A look whose notices are not written (the task log refuses
 * them, as a broker that is away does) or that throws is readiness DOWN naming it, the looks go on, and the next one
 * that writes its notices is UP again. Before, the first look that threw ended the schedule silently.
 */
class NoAgentWatchdogTest {

    /** The task log's appends: refused while {@code refuse} is set, recorded otherwise. */
    static final class Appends implements TaskLog {
        final AtomicBoolean refuse = new AtomicBoolean(true);
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events) {
            if (refuse.get()) {
                return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException(
                        "Topic tasks.events not present in metadata after 1500 ms."));
            }
            written.add(taskId);
            return CompletableFuture.completedFuture(List.of((long) written.size()));
        }

        @Override
        public void recordState(Task task, long offset) {
            throw new UnsupportedOperationException("the watchdog only appends");
        }

        @Override
        public CompletableFuture<Void> request(TaskCommand command) {
            throw new UnsupportedOperationException("the watchdog only appends");
        }

        @Override
        public CompletableFuture<Void> requestSwarm(SwarmCommand job) {
            throw new UnsupportedOperationException("the watchdog only appends");
        }

        @Override
        public CompletableFuture<Void> control(TaskControl control) {
            throw new UnsupportedOperationException("the watchdog only appends");
        }
    }

    @Test
    void aLookThatFailsIsReadinessDownTheLooksGoOnAndOneThatWritesItsNoticesIsUpAgain() {
        Task waiting = new Task("t-1", "ctx-1", new TaskStatus(TaskState.SUBMITTED, null,
                Instant.now().minusSeconds(60)), null, null, null, new Task.Submission("alice", null, null));
        AtomicInteger looks = new AtomicInteger();
        AtomicBoolean viewBroken = new AtomicBoolean(false);
        Appends log = new Appends();
        ScheduledRunsHealthCheck health = new ScheduledRunsHealthCheck();
        ScheduledRun run = health.watch(new ScheduledRun(NoAgentWatchdog.THREAD, NoAgentWatchdog.check(
                new NoAgentNotice(Duration.ofSeconds(30)), () -> {
                    looks.incrementAndGet();
                    if (viewBroken.get()) {
                        throw new IllegalStateException("task view not started");
                    }
                    return (Collection<Task>) List.of(waiting);
                }, () -> false, () -> log, "gw-test", "agent-service")));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.scheduleWithFixedDelay(run, 0, 20, TimeUnit.MILLISECONDS);
            String why = Await.until(() -> health.call(), r -> r.getStatus() == HealthCheckResponse.Status.DOWN,
                    Duration.ofSeconds(20), "DOWN: the notices refused").getData().orElseThrow()
                    .get(NoAgentWatchdog.THREAD).toString();
            assertTrue(why.contains("the no-agent notices of 1 task(s) were not written")
                    && why.contains("tasks.events not present in metadata"), why);
            int before = looks.get();
            Await.until(looks::get, n -> n >= before + 3, Duration.ofSeconds(20), "looks after a failed one");

            viewBroken.set(true);
            int broken = looks.get();
            Await.until(() -> String.valueOf(health.call().getData().orElseThrow().get(NoAgentWatchdog.THREAD)),
                    s -> s.contains("task view not started"), Duration.ofSeconds(20), "the other failure named");
            Await.until(looks::get, n -> n >= broken + 3, Duration.ofSeconds(20), "looks after a throwing one");
            assertEquals(List.of(), log.written);

            viewBroken.set(false);
            log.refuse.set(false);
            Await.until(() -> health.call().getStatus(), HealthCheckResponse.Status.UP::equals,
                    Duration.ofSeconds(20), "UP once a look writes its notices");
            assertTrue(log.written.contains("t-1"), "the notice written: " + log.written);
        } finally {
            timer.shutdownNow();
        }
    }
}
