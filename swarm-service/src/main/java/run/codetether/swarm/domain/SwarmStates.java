package run.codetether.swarm.domain;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmState;

/**
 * The states {@link SwarmCoordinator} saves at each step of a swarm's life. Every saved state names this instance
 * as its owner and carries a version one past the state it follows, so a successor resuming from
 * {@code swarm.state} always sees the newest write; keeping those rules in one place means no step can forget them.
 * Version 1 is the planning reservation and version 2 the first state after planning, whether it ran or failed.
 *
 * <p>Pure: it computes states and saves, sends or locks nothing; the coordinator does that under its lock.
 */
final class SwarmStates {
    private final String instanceId;
    private final Clock clock;
    private final int retryBudget;

    SwarmStates(String instanceId, Clock clock, int retryBudget) {
        this.instanceId = instanceId;
        this.clock = clock;
        this.retryBudget = retryBudget;
    }

    /** Saved before the plan is made, so that a successor re-plans a swarm whose owner died while planning. */
    SwarmState planning(SwarmCommand.StartSwarm cmd) {
        return new SwarmState(cmd, SwarmPhase.PLANNING, List.of(), retryBudget, null, null, instanceId, 1,
                clock.instant(), null);
    }

    /** @param planSpent what the refused or failed plan spent; it stays the swarm's spend */
    SwarmState planFailed(SwarmCommand.StartSwarm cmd, String error, Usage planSpent) {
        return new SwarmState(cmd, SwarmPhase.FAILED, List.of(), 0, null, error, instanceId, 2, clock.instant(),
                planSpent);
    }

    /** Every planned subtask starts pending at its stage of the plan's DAG. */
    SwarmState running(SwarmCommand.StartSwarm cmd, List<SubtaskPlan> plan, Map<String, Integer> stages,
            Usage planSpent) {
        List<SubtaskState> subtasks = plan.stream()
                .map(p -> new SubtaskState(p.id(), p.title(), p.instruction(), stages.get(p.id()), p.dependsOn(), null,
                        SubtaskStatus.PENDING, null, 0, null, false, null, null))
                .toList();
        return new SwarmState(cmd, SwarmPhase.RUNNING, subtasks, retryBudget, null, null, instanceId, 2,
                clock.instant(), planSpent);
    }

    /**
     * The previous owner's state, now this instance's. The version stays: nothing changed yet, and the first step
     * after the take-over writes the next one.
     */
    SwarmState takenOver(SwarmState saved) {
        return new SwarmState(saved.command(), saved.phase(), saved.subtasks(), saved.retriesLeft(), saved.answer(),
                saved.error(), instanceId, saved.version(), clock.instant(), saved.coordinatorUsage());
    }

    /** A running swarm after a step of the scheduler; a running swarm has neither answer nor error yet. */
    SwarmState stepped(SwarmState state) {
        return new SwarmState(state.command(), state.phase(), state.subtasks(), state.retriesLeft(), null, null,
                instanceId, state.version() + 1, clock.instant(), state.coordinatorUsage());
    }

    /** The answer is written; failed subtasks are counted in the error even when the swarm completed. */
    SwarmState answered(SwarmState state, SwarmPhase phase, String answer) {
        long failed = Aggregator.count(state.subtasks(), SubtaskStatus.FAILED);
        return new SwarmState(state.command(), phase, state.subtasks(), state.retriesLeft(), answer,
                failed == 0 ? null : failed + " subtasks failed", instanceId, state.version() + 1, clock.instant(),
                state.coordinatorUsage());
    }

    /**
     * A swarm ended before its answer (canceled, or FAILED by its tenant's budget): every subtask not yet done is
     * skipped with the reason, and what ran before the end stays the swarm's spend.
     *
     * @param state the swarm's last state, or null when it ended while planning (then it follows the reservation)
     */
    SwarmState ended(SwarmCommand.StartSwarm start, SwarmState state, TaskState how, String reason) {
        List<SubtaskState> subtasks = (state == null ? List.<SubtaskState>of() : state.subtasks()).stream()
                .map(s -> s.status().isDone() ? s : s.withStatus(SubtaskStatus.SKIPPED, reason))
                .toList();
        SwarmPhase phase = how == TaskState.CANCELED ? SwarmPhase.CANCELED : SwarmPhase.FAILED;
        return new SwarmState(start, phase, subtasks, state == null ? 0 : state.retriesLeft(), null, reason,
                instanceId, state == null ? 2 : state.version() + 1, clock.instant(),
                state == null ? null : state.coordinatorUsage());
    }

    /** The subtask with this id, or null. */
    static SubtaskState find(SwarmState state, String id) {
        return state.subtasks().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }
}
