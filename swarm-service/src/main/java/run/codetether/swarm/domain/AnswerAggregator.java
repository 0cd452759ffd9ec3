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

    /**
     * The aggregator's answer; when it fails, the deterministic join under a heading that says why (mode
     * {@code fallback}), so a finished swarm always has an answer.
     */
    static Aggregate orJoin(AnswerAggregator aggregator, SwarmCommand.StartSwarm cmd, List<SubtaskState> subtasks) {
        try {
            return aggregator.aggregate(cmd, subtasks);
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Aggregate(LlmAggregator.FALLBACK_HEADING.formatted(error) + Aggregator.answer(cmd.goal(),
                    subtasks), "fallback", error);
        }
    }

    /** The deterministic join of {@link Aggregator}: no model. */
    AnswerAggregator JOIN = (cmd, subtasks) -> new Aggregate(Aggregator.answer(cmd.goal(), subtasks), "join", null);
}
