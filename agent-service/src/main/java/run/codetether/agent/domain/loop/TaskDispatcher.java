package run.codetether.agent.domain.loop;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import run.codetether.contracts.events.TaskCommand;

/**
 * Runs each task command on its own virtual thread, at most {@code maxConcurrent} at a time per worker, one at a
 * time per contextId (a session has one owner), and routes cancels to the run. A run the intake starts for a tenant
 * with nothing else running while every other slot is taken ({@link Lane#OWN_THREAD}) gets a platform thread of its
 * own instead: the flood's runs share the virtual threads' few carriers, and a run queued there behind them waits for
 * them at every step; on its own thread the operating system schedules it beside the carriers (issue 19). Thread-safe.
 */
public final class TaskDispatcher {
    private final AgentLoop loop;
    private final Semaphore permits;
    private final int maxConcurrent;
    private final Map<String, TaskRun> running = new ConcurrentHashMap<>();
    /**
     * Per contextId, the completion of the last run submitted for it. A run waits for its predecessor, so one
     * conversation's commands run one at a time and in the order they were submitted (the order of the partition);
     * unrelated contexts never wait on each other. An entry is removed when its run is the last one.
     */
    private final Map<String, CompletableFuture<Void>> contextTails = new ConcurrentHashMap<>();
    /** Cancels that arrived for tasks not (yet) running here, bounded. */
    private final Map<String, String> earlyCancels = new ConcurrentHashMap<>();

    /** Which thread a run gets. */
    public enum Lane {
        /** A virtual thread: every run in the common case. */
        SHARED,
        /** A platform thread of its own: a run on the intake's reserved slot (at most a few at once). */
        OWN_THREAD
    }

    public TaskDispatcher(AgentLoop loop, int maxConcurrent) {
        this.loop = loop;
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
    }

    /** Free slots right now; the consumer stops fetching at zero. */
    public int available() {
        return permits.availablePermits();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * Starts the command if a slot is free.
     *
     * @param onDone called on the run's thread when it ended (finished or abandoned)
     * @return the run, or null when no slot is free
     */
    public TaskRun trySubmit(TaskCommand command, Runnable onDone) {
        return trySubmit(command, onDone, Lane.SHARED);
    }

    /** As {@link #trySubmit(TaskCommand, Runnable)}, on the given lane. */
    public TaskRun trySubmit(TaskCommand command, Runnable onDone, Lane lane) {
        if (!permits.tryAcquire()) {
            return null;
        }
        TaskRun run = new TaskRun(command);
        TaskRun previous = running.put(command.taskId(), run);
        if (previous != null) {
            previous.abandon(); // a redelivery supersedes a stale local run of the same task
        }
        String early = earlyCancels.remove(command.taskId());
        if (early != null) {
            run.cancel(early);
        }
        // taken here, on the submitting thread, so the queue order per context is the submit order
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> predecessor = contextTails.put(command.contextId(), done);
        Thread.Builder thread = lane == Lane.OWN_THREAD ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        thread.name("task-" + command.taskId()).start(() -> {
            try {
                if (predecessor != null) {
                    predecessor.get(); // interruptible; predecessors only ever complete normally
                }
                loop.run(run);
            } catch (InterruptedException e) {
                // abandoned or canceled while waiting for the context: the loop never started
                if (run.canceled() && !run.abandoned()) {
                    loop.run(run); // publishes canceled
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("a context predecessor failed", e);
            } finally {
                done.complete(null);
                contextTails.remove(command.contextId(), done);
                running.remove(command.taskId(), run);
                permits.release();
                onDone.run();
            }
        });
        return run;
    }

    /** Cancels the task if it runs here; remembers it briefly in case its start is still on the way. */
    public boolean cancel(String taskId, String reason) {
        TaskRun run = running.get(taskId);
        if (run != null) {
            run.cancel(reason);
            return true;
        }
        if (earlyCancels.size() > 10_000) {
            earlyCancels.clear();
        }
        earlyCancels.put(taskId, reason == null ? "canceled by request" : reason);
        return false;
    }

    /** Stops runs without further events or saves (their partitions moved to another worker). */
    public List<TaskRun> abandon(Predicate<TaskRun> which) {
        List<TaskRun> out = running.values().stream().filter(which).toList();
        out.forEach(TaskRun::abandon);
        return out;
    }

    public Collection<TaskRun> running() {
        return List.copyOf(running.values());
    }
}
