package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmCommand;

/**
 * A task log that keeps what it was given and acknowledges it at once (offsets counting up from {@code firstOffset}),
 * or refuses work requests as Kafka's send timeout does when {@link #failRequests} is set.
 */
final class RecordingTaskLog implements TaskLog {
    final List<TaskEvent> appended = new CopyOnWriteArrayList<>();
    final List<TaskCommand> requested = new CopyOnWriteArrayList<>();
    final List<TaskControl> controls = new CopyOnWriteArrayList<>();
    volatile boolean failRequests;
    private final AtomicLong next;

    RecordingTaskLog(long firstOffset) {
        this.next = new AtomicLong(firstOffset);
    }

    @Override
    public CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events) {
        appended.addAll(events);
        List<Long> offsets = new ArrayList<>();
        events.forEach(e -> offsets.add(next.getAndIncrement()));
        return CompletableFuture.completedFuture(offsets);
    }

    @Override
    public void recordState(Task task, long offset) {}

    @Override
    public CompletableFuture<Void> request(TaskCommand command) {
        if (failRequests) {
            return CompletableFuture.failedFuture(A2AException.retryable(A2AError.UNAVAILABLE,
                    "Kafka did not accept the request in time", 2));
        }
        requested.add(command);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> requestSwarm(SwarmCommand job) {
        return failRequests ? request(null) : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> control(TaskControl control) {
        controls.add(control);
        return CompletableFuture.completedFuture(null);
    }
}
