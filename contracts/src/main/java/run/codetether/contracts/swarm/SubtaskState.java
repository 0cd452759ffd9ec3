package run.codetether.contracts.swarm;

import java.time.Instant;
import java.util.List;
import run.codetether.contracts.events.Usage;

/**
 * One subtask of a swarm as last saved by its coordinator.
 *
 * @param id the subtask id inside the swarm (from the plan)
 * @param stage 0-based stage: every dependency sits in an earlier stage
 * @param dependsOn ids of the subtasks whose results this one needs
 * @param contentHash hash of what the subtask asks (instruction, dependency results, provider, model): the cache key
 * @param taskId A2A task id of the current attempt, or null before the first dispatch
 * @param attempts how many times it was dispatched
 * @param result the validated result text, or the last error
 * @param cached the result came from the cache, no worker ran it
 * @param dispatchedAt when the current attempt was published (a takeover replays events from here)
 * @param usage what the workers of all its attempts spent, as their final statuses reported it (a rejected attempt
 *     was paid for too); null while no attempt reported any (none ran, or the result came from the cache)
 */
public record SubtaskState(
        String id,
        String title,
        String instruction,
        int stage,
        List<String> dependsOn,
        String contentHash,
        SubtaskStatus status,
        String taskId,
        int attempts,
        String result,
        boolean cached,
        Instant dispatchedAt,
        Usage usage) {
    public SubtaskState {
        Checks.text(id, "subtask id");
        Checks.text(instruction, "subtask instruction");
        title = title == null || title.isBlank() ? id : title;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        status = status == null ? SubtaskStatus.PENDING : status;
    }

    public SubtaskState withStatus(SubtaskStatus newStatus, String newResult) {
        return new SubtaskState(id, title, instruction, stage, dependsOn, contentHash, newStatus, taskId, attempts,
                newResult, cached, dispatchedAt, usage);
    }

    /** Adds what one more attempt's worker spent; {@code spent} null (nothing reported) changes nothing. */
    public SubtaskState spent(Usage spent) {
        if (spent == null) {
            return this;
        }
        return new SubtaskState(id, title, instruction, stage, dependsOn, contentHash, status, taskId, attempts, result,
                cached, dispatchedAt, usage == null ? spent : usage.plus(spent));
    }

    public SubtaskState dispatched(String newTaskId, String hash, Instant at) {
        return new SubtaskState(id, title, instruction, stage, dependsOn, hash, SubtaskStatus.DISPATCHED, newTaskId,
                attempts + 1, null, false, at, usage);
    }

    public SubtaskState fromCache(String hash, String cachedResult) {
        return new SubtaskState(id, title, instruction, stage, dependsOn, hash, SubtaskStatus.COMPLETED, taskId,
                attempts, cachedResult, true, dispatchedAt, usage);
    }
}
