package run.codetether.agent.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.contracts.events.TaskEvent;

/** Events kept in memory (loop-level tests); the Kafka tests read tasks.events instead. */
public final class RecordingEvents implements EventPublisher {
    private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(TaskEvent event) {
        events.add(event);
    }

    public List<TaskEvent> all() {
        return List.copyOf(events);
    }

    public List<TaskEvent> of(String taskId) {
        return events.stream().filter(e -> e.taskId().equals(taskId)).toList();
    }

    public TaskEvent.StatusChanged awaitFinal(String taskId, Duration timeout) throws InterruptedException {
        return EventWait.awaitFinal(() -> of(taskId), timeout);
    }

    /** The text a client sees as {@code end}'s message ({@link EventWait#messageText}). */
    public String messageText(String taskId, TaskEvent.StatusChanged end) {
        return EventWait.messageText(of(taskId), end);
    }
}
