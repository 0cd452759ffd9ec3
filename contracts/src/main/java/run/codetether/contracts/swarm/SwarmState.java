package run.codetether.contracts.swarm;

import java.time.Instant;
import java.util.List;

/**
 * A swarm coordinator's durable state, written to the compacted {@code swarm.state} topic keyed by swarmId after
 * every change. Another swarm-service replica that gets the swarm's partition resumes from the latest record; the
 * completed subtasks of every record also fill the result cache.
 *
 * @param command the command that started the swarm
 * @param owner instance id of the coordinator that wrote this record
 * @param retriesLeft the swarm's remaining retry budget (shared by all subtasks)
 * @param version increases with every write by any owner
 */
public record SwarmState(
        SwarmCommand.StartSwarm command,
        SwarmPhase phase,
        List<SubtaskState> subtasks,
        int retriesLeft,
        String answer,
        String error,
        String owner,
        long version,
        Instant updatedAt) {
    public SwarmState {
        if (command == null) {
            throw new IllegalArgumentException("command is required");
        }
        phase = phase == null ? SwarmPhase.PLANNING : phase;
        subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
        updatedAt = updatedAt == null ? Instant.now() : updatedAt;
    }

    public String swarmId() {
        return command.swarmId();
    }
}
