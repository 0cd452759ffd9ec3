package run.codetether.swarm.domain;

import java.util.List;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;

/**
 * Asks the swarm's model to write one answer from the subtask results (the joined results stay available as the
 * {@code swarm-subtask-results} artifact). When the call fails or returns nothing, the answer is the deterministic
 * join under a heading that says so, and the reason travels in the swarm task's final metadata. A swarm without a
 * completed subtask has nothing to synthesize: its answer is the join.
 */
public final class LlmAggregator implements AnswerAggregator {
    static final String SYSTEM = """
            You are the coordinator of a swarm of sub-agents that worked on parts of one software engineering goal.
            Write the final answer to the goal from their results: merge overlapping findings, keep every concrete \
            change, file, command and open problem they report, and say plainly which parts failed or were skipped. \
            Do not invent work that no sub-agent reported. Answer in Markdown.""";
    static final String FALLBACK_HEADING = "> Model aggregation failed (%s); the subtask results follow unmerged.\n\n";

    private final ChatPort chat;

    public LlmAggregator(ChatPort chat) {
        this.chat = chat;
    }

    @Override
    public Aggregate aggregate(SwarmCommand.StartSwarm cmd, List<SubtaskState> subtasks) {
        String joined = Aggregator.answer(cmd.goal(), subtasks);
        if (subtasks.stream().noneMatch(s -> s.status() == SubtaskStatus.COMPLETED)) {
            return new Aggregate(joined, "join", null);
        }
        String error;
        try {
            String answer = chat.complete(cmd.provider(), cmd.model(), SYSTEM,
                    "Goal:\n" + cmd.goal() + "\n\nSub-agent results:\n\n" + joined, null);
            if (answer != null && !answer.isBlank()) {
                return new Aggregate(answer.strip(), "model", null);
            }
            error = "the model returned an empty answer";
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new Aggregate(FALLBACK_HEADING.formatted(error) + joined, "fallback", error);
    }
}
