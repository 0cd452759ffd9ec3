package run.codetether.contracts.swarm;

import java.time.Instant;
import java.util.List;
import run.codetether.contracts.events.Usage;

/**
 * A swarm coordinator's durable state, written to the compacted {@code swarm.state} topic keyed by swarmId after
 * every change. Another swarm-service replica that gets the swarm's partition resumes from the latest record; the
 * completed subtasks of every record also fill the result cache.
 *
 * @param command the command that started the swarm
 * @param owner instance id of the coordinator that wrote this record
 * @param retriesLeft the swarm's remaining retry budget (shared by all subtasks)
 * @param version increases with every write by any owner
 * @param coordinatorUsage what the coordinators' own model calls for this swarm spent (its plan, model checks of
 *     results, the written answer); null while none reported usage. The subtasks' workers are in each
 *     {@link SubtaskState#usage}.
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
        Instant updatedAt,
        Usage coordinatorUsage) {
    public SwarmState {
        if (command == null) {
            throw new IllegalArgumentException("command is required");
        }
        phase = phase == null ? SwarmPhase.PLANNING : phase;
        subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
        updatedAt = updatedAt == null ? Instant.now() : updatedAt;
    }

    /**
     * What the swarm has spent so far: its coordinators' calls and every subtask's workers; null when nothing
     * reported usage. Priced only when every part is (one unpriced part makes the cost unknown, never partial).
     */
    public Usage spent() {
        Usage total = coordinatorUsage;
        for (SubtaskState s : subtasks) {
            if (s.usage() != null) {
                total = total == null ? s.usage() : total.plus(s.usage());
            }
        }
        return total;
    }

    /** This state with {@code more} of the coordinator's own spending added (null adds nothing). */
    public SwarmState coordinatorSpent(Usage more) {
        if (more == null) {
            return this;
        }
        return new SwarmState(command, phase, subtasks, retriesLeft, answer, error, owner, version, updatedAt,
                coordinatorUsage == null ? more : coordinatorUsage.plus(more));
    }

    public String swarmId() {
        return command.swarmId();
    }
}
