package run.codetether.swarm.domain;

import java.util.Comparator;
import java.util.List;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;

/**
 * Builds the swarm's final answer from its subtasks, in stage order: a heading per subtask with its result, and a
 * closing line that counts completed, failed and skipped subtasks. Deterministic: the same results give the same
 * answer.
 */
public final class Aggregator {
    private Aggregator() {}

    public static String answer(String goal, List<SubtaskState> subtasks) {
        StringBuilder out = new StringBuilder("# Swarm result\n\nGoal: ").append(goal).append("\n");
        subtasks.stream()
                .sorted(Comparator.comparingInt(SubtaskState::stage))
                .forEach(s -> out.append("\n## ").append(s.title()).append(" (").append(s.id()).append(", stage ")
                        .append(s.stage()).append(", ").append(s.status().wire()).append(s.cached() ? ", cached" : "")
                        .append(")\n").append(s.result() == null ? "(no result)" : s.result().strip()).append("\n"));
        long done = count(subtasks, SubtaskStatus.COMPLETED);
        out.append("\n").append(done).append(" of ").append(subtasks.size()).append(" subtasks completed");
        long failed = count(subtasks, SubtaskStatus.FAILED);
        long skipped = count(subtasks, SubtaskStatus.SKIPPED);
        if (failed + skipped > 0) {
            out.append(", ").append(failed).append(" failed, ").append(skipped).append(" skipped");
        }
        return out.append(".\n").toString();
    }

    static long count(List<SubtaskState> subtasks, SubtaskStatus status) {
        return subtasks.stream().filter(s -> s.status() == status).count();
    }
}
