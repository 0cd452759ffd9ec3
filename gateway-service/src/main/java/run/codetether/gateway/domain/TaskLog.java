package run.codetether.gateway.domain;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;

/**
 * Port to the platform log (Kafka in production). Every future completes once the broker has acknowledged the
 * record, or fails; nothing is acknowledged to a client before its records are durable.
 */
public interface TaskLog {

    /** Appends events of one task in order (one key, one partition); completes with each event's offset. */
    CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events);

    /**
     * Appends events that must land although the client's writes just failed (the closing status of a start that
     * could not be confirmed): with the platform's long delivery timeout rather than the client's short one. By
     * default the same as {@link #appendEvents}.
     */
    default CompletableFuture<List<Long>> appendEventsPatiently(String taskId, List<TaskEvent> events) {
        return appendEvents(taskId, events);
    }

    /** As {@link #control}, patiently (see {@link #appendEventsPatiently}); by default the same as control. */
    default CompletableFuture<Void> controlPatiently(TaskControl control) {
        return control(control);
    }

    /** Records a task as folded up to {@code offset} on the state topic (asynchronous, flushed by the reader). */
    void recordState(run.codetether.contracts.a2a.Task task, long offset);

    /**
     * A task's accept: its events and its work request sent back to back, before either is awaited (the producer
     * puts them in the same pass to the brokers), completed with the events' offsets once BOTH are acknowledged, or
     * failed when either fails. Measured against events-then-request and against one Kafka transaction over both
     * (bench/gateway-bench {@code AcceptWritesBench}; docs/architecture.md "Accepting a task"). When the events are
     * refused at once (no broker: the producer waited for metadata), the request is not sent: it would wait as long
     * again before the client's fast failure. The Kafka log encodes the user's message, which the events and the
     * command both carry, once for both (issue 18/20).
     */
    default CompletableFuture<List<Long>> accept(String taskId, List<TaskEvent> events, TaskCommand command) {
        CompletableFuture<List<Long>> logged = appendEvents(taskId, events);
        if (logged.isCompletedExceptionally()) {
            return logged;
        }
        return logged.thenCombine(request(command), (offsets, v) -> offsets);
    }

    /** Asks a worker to start or continue a task (tasks.requested, keyed by contextId). */
    CompletableFuture<Void> request(TaskCommand command);

    /** Hands a swarm command (start, cancel) to swarm-service (swarm.requested, keyed by the swarm id). */
    CompletableFuture<Void> requestSwarm(run.codetether.contracts.swarm.SwarmCommand job);

    /** Broadcasts a control signal to every worker (tasks.control, keyed by taskId). */
    CompletableFuture<Void> control(TaskControl control);
}
