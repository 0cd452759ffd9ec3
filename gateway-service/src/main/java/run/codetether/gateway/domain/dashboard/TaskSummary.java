package run.codetether.gateway.domain.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What the operator dashboard knows about one task, folded from the task's events by {@link SummaryFold}: the row
 * of the task list and the head of the detail view. Immutable; a new instance per change.
 *
 * @param state the A2A state in lower case with dashes ({@code input-required})
 * @param kind {@code agent}, {@code swarm}, {@code ralph} or {@code subtask} (a swarm's sub-agent)
 * @param owner the client that created the task (null until known: a sub-agent learns it from its swarm)
 * @param costUsd summed cost, or null when unpriced (a model missing from the catalog is never shown as free)
 * @param partition partition of the task's events on {@code tasks.events}, or -1 when not seen live
 * @param firstOffset offset of the first event this replica saw for the task, or -1
 */
public record TaskSummary(
        String id,
        String contextId,
        String state,
        String kind,
        String owner,
        String tenant,
        String skill,
        String title,
        String lastText,
        String currentTool,
        String provider,
        String model,
        long tokensIn,
        long tokensOut,
        Double costUsd,
        boolean priced,
        int steps,
        Instant createdAt,
        Instant updatedAt,
        Instant endedAt,
        String parentId,
        String subtaskId,
        String workerId,
        List<SwarmNode> subtasks,
        RalphProgress ralph,
        int partition,
        long firstOffset) {

    public TaskSummary {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a task summary needs an id");
        }
        subtasks = subtasks == null ? List.of() : List.copyOf(subtasks);
    }

    /** Completed, failed, canceled or rejected: nothing changes any more. */
    public boolean ended() {
        return switch (state) {
            case "completed", "failed", "canceled", "rejected" -> true;
            default -> false;
        };
    }

    /**
     * One sub-agent of a swarm as its coordinator reported it.
     *
     * @param status the coordinator's view: pending, dispatched, completed, failed, skipped
     * @param state the sub-agent task's own A2A state while it runs (working, ...), or null
     */
    public record SwarmNode(
            String id,
            String title,
            int stage,
            int attempt,
            String status,
            String taskId,
            String state,
            String currentTool,
            long tokensIn,
            long tokensOut,
            Double costUsd,
            boolean cached) {}

    /** Ralph's run as its progress events told it: stories in first-seen order. */
    public record RalphProgress(
            String status,
            int passed,
            int total,
            int iteration,
            int maxIterations,
            String prdPath,
            List<RalphStory> stories) {
        public RalphProgress {
            stories = stories == null ? List.of() : List.copyOf(stories);
        }
    }

    /**
     * One user story of a Ralph run.
     *
     * @param status running, checking, passed, open (its checks failed; a later iteration retries) or error
     */
    public record RalphStory(String id, String title, int iteration, String status, List<Check> checks) {
        public RalphStory {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }
    }

    /** A quality check (typecheck, lint, test, build) of one story's latest iteration. */
    public record Check(String name, boolean passed) {}
}
