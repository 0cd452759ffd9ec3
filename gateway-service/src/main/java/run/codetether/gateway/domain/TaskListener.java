package run.codetether.gateway.domain;

import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;

/**
 * Receives a task's events in log order, each with the task as folded after it. Called on the event-reader thread:
 * implementations must not block (enqueue, write to a non-blocking stream, complete a future asynchronously).
 */
@FunctionalInterface
public interface TaskListener {
    void onEvent(TaskEvent event, Task after, long offset);

    /**
     * The task left this replica's view while the listener was subscribed (it was deleted or evicted): no event
     * will follow. Called once, on the thread that removed it; the listener is unsubscribed already.
     */
    default void onRemoved(String taskId) {}
}
