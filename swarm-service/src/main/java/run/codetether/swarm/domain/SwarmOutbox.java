package run.codetether.swarm.domain;

import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmState;

/**
 * Where a coordinator's decisions go. The Kafka adapter writes them to {@code tasks.requested}, {@code tasks.control},
 * {@code tasks.events} and {@code swarm.state}. Work is published before the state that records it is saved: a
 * coordinator that dies in between leaves the subtask pending, and its successor publishes the same attempt (same
 * task id) again, so delivery is at least once and never lost.
 */
public interface SwarmOutbox {
    void dispatch(TaskCommand.StartTask subtask);

    void cancel(TaskControl.CancelTask cancel);

    void report(TaskEvent event);

    void save(SwarmState state);
}
