package run.codetether.swarm.domain;

import java.util.List;
import run.codetether.contracts.swarm.SwarmCommand.StartSwarm;

/** Splits a swarm goal into subtasks forming a DAG. Throws {@link PlanException} when no valid plan comes out. */
public interface Decomposer {
    List<SubtaskPlan> decompose(StartSwarm command, int maxSubtasks);
}
