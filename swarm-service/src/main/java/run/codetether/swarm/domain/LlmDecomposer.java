package run.codetether.swarm.domain;

import java.util.List;
import run.codetether.contracts.swarm.SwarmCommand.StartSwarm;
import run.codetether.contracts.swarm.SwarmStrategy;

/**
 * Decomposition by a language model answering JSON of {@link PlanParser#SCHEMA}. Strategy {@code none} needs no
 * model: the goal is the single subtask. An answer that fails validation is sent back once with the error so the
 * model can repair it; a second failure fails the swarm with that error.
 */
public final class LlmDecomposer implements Decomposer {
    private static final String SYSTEM = """
            You split a software engineering goal into subtasks for parallel sub-agents.
            Answer with one JSON object only: {"subtasks":[{"id":"short-id","title":"...","instruction":"...",\
            "depends_on":["ids of subtasks whose results this one needs"]}]}.
            Each instruction must be self-contained. Dependencies must not form a cycle. Use as few subtasks as the \
            goal needs and never more than %d.
            Strategy: %s""";

    private final ChatPort chat;

    public LlmDecomposer(ChatPort chat) {
        this.chat = chat;
    }

    @Override
    public List<SubtaskPlan> decompose(StartSwarm command, int maxSubtasks) {
        if (command.strategy() == SwarmStrategy.NONE) {
            return List.of(new SubtaskPlan("main", "Main task", command.goal(), List.of()));
        }
        String system = SYSTEM.formatted(maxSubtasks, guidance(command.strategy()));
        String answer = chat.complete(command.provider(), command.model(), system, command.goal(), PlanParser.SCHEMA);
        try {
            return PlanParser.parse(answer, maxSubtasks);
        } catch (PlanException first) {
            String repair = command.goal() + "\n\nYour previous answer was rejected: " + first.getMessage()
                    + "\nPrevious answer:\n" + answer + "\nAnswer again with corrected JSON only.";
            String second = chat.complete(command.provider(), command.model(), system, repair, PlanParser.SCHEMA);
            try {
                return PlanParser.parse(second, maxSubtasks);
            } catch (PlanException again) {
                throw new PlanException("decomposition failed twice: " + again.getMessage(), again);
            }
        }
    }

    static String guidance(SwarmStrategy strategy) {
        return switch (strategy) {
            case AUTO -> "choose the split that lets the most subtasks run in parallel.";
            case DOMAIN -> "one subtask per domain or concern (e.g. backend, frontend, tests, docs).";
            case DATA -> "one subtask per slice of the data or code (files, modules, records).";
            case STAGE -> "sequential stages: later subtasks depend on the results of earlier ones.";
            case NONE -> "a single subtask.";
        };
    }
}
