package run.codetether.swarm.domain;

import java.util.List;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SwarmCommand;

/** Writes a finished swarm's answer from its subtasks' results. */
public interface AnswerAggregator {

    /**
     * @param answer the final answer for the swarm's task
     * @param mode {@code model} (written by the model), {@code join} (the deterministic join by design) or
     *     {@code fallback} (the join because the model call failed)
     * @param error why the model's aggregation failed (mode {@code fallback}), else null
     */
    record Aggregate(String answer, String mode, String error) {}

    Aggregate aggregate(SwarmCommand.StartSwarm command, List<SubtaskState> subtasks);

    /** The deterministic join of {@link Aggregator}: no model. */
    AnswerAggregator JOIN = (cmd, subtasks) -> new Aggregate(Aggregator.answer(cmd.goal(), subtasks), "join", null);
}
