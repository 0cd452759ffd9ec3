package run.codetether.swarm.domain;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SwarmCommand;

/**
 * Makes a swarm's plan: the decomposer's subtasks and their DAG stages. Kept apart from {@link SwarmCoordinator}
 * because it is the model call the coordinator runs off its lock; it holds no state and touches no swarm.
 */
final class SwarmPlanner {
    private final Decomposer decomposer;
    private final CoordinatorBudget budget;
    private final SwarmSettings settings;

    SwarmPlanner(Decomposer decomposer, CoordinatorBudget budget, SwarmSettings settings) {
        this.decomposer = decomposer;
        this.budget = budget;
        this.settings = settings;
    }

    /**
     * A plan, or why there is none.
     *
     * @param stages null when the plan failed
     * @param failure null when the plan is usable
     * @param spent what planning spent, also when it failed
     */
    record Plan(List<SubtaskPlan> subtasks, Map<String, Integer> stages, RuntimeException failure, Usage spent) {
        /** The reason the swarm fails with: a budget refusal is reported as the budget's own reason. */
        String error() {
            return failure instanceof CoordinatorBudget.Refusal ? failure.getMessage()
                    : "swarm planning failed: " + failure.getMessage();
        }
    }

    /** Never throws: a refused, failed or cyclic plan comes back as a {@link Plan#failure}. */
    Plan plan(SwarmCommand.StartSwarm cmd) {
        int max = cmd.maxSubtasks() > 0 ? Math.min(cmd.maxSubtasks(), settings.maxSubtasks()) : settings.maxSubtasks();
        // a refused plan is a failed one, with the budget's reason (stages stay null, nothing was spent)
        CallMeter.Metered<List<SubtaskPlan>> plan = budget.call(cmd, true, false, () -> decomposer.decompose(cmd, max));
        Map<String, Integer> stages = null;
        RuntimeException failure = plan.failure();
        if (failure == null) {
            try {
                stages = Dag.stages(plan.value());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        return new Plan(plan.value(), stages, failure, plan.usage());
    }
}
