package run.codetether.agent.domain.port;

import run.codetether.contracts.events.TaskEvent;

/** Publishes task events (tasks.events keyed by taskId). Blocking until the broker acknowledged. */
public interface EventPublisher {
    void publish(TaskEvent event);
}
