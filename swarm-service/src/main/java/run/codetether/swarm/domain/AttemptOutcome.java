package run.codetether.swarm.domain;

import java.util.HashMap;
import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmState;

/**
 * What one finished attempt of a subtask does to its swarm, decided apart from the coordinator's locking and
 * messaging: a valid result completes the subtask; an invalid one spends one of the swarm's retries (the subtask runs
 * again) or, with none left, fails it. Either way the attempt's worker spent what its final status reported, so that
 * is added to the subtask whatever the verdict.
 *
 * @param state the swarm with the subtask replaced
 * @param subtask the subtask after this attempt
 * @param note the progress line for the swarm's own task
 * @param details the progress update's metadata
 */
record AttemptOutcome(SwarmState state, SubtaskState subtask, String note, Map<String, Object> details) {

    /**
     * @param sub the subtask as dispatched (status DISPATCHED, this attempt's task id)
     * @param workerFinal the attempt's final status (its typed usage is the worker task's total: its model calls,
     *     its own sub-agents' and its loop tools')
     */
    static AttemptOutcome of(SwarmState state, SubtaskState sub, ResultValidator.Verdict verdict, String result,
            TaskEvent.StatusChanged workerFinal) {
        int retriesLeft = state.retriesLeft();
        SubtaskState next;
        String note;
        if (verdict.valid()) {
            next = sub.withStatus(SubtaskStatus.COMPLETED, result);
            note = "subtask " + sub.id() + " completed";
        } else if (retriesLeft > 0) {
            retriesLeft--;
            next = sub.withStatus(SubtaskStatus.PENDING, verdict.reason());
            note = "subtask " + sub.id() + " rejected (" + verdict.reason() + "); retrying, " + retriesLeft
                    + " retries left";
        } else {
            next = sub.withStatus(SubtaskStatus.FAILED, verdict.reason());
            note = "subtask " + sub.id() + " failed: " + verdict.reason();
        }
        next = next.spent(workerFinal.progress().usage());
        Map<String, Object> workerMetadata = workerFinal.metadata();
        Map<String, Object> details = new HashMap<>(Map.of(MetadataKeys.SUBTASK_ID, sub.id(),
                MetadataKeys.SUBTASK_STATUS, next.status().wire(), MetadataKeys.VALID, verdict.valid()));
        if (!workerMetadata.isEmpty()) {
            // the per-sub-agent detail view: step, tools, usage
            details.put(MetadataKeys.SUBTASK_METADATA, workerMetadata);
        }
        if (next.usage() != null) {
            details.put(MetadataKeys.SUBTASK_USAGE, next.usage().toMetadata());
        }
        return new AttemptOutcome(SwarmScheduler.replace(state, next, retriesLeft), next, note, details);
    }
}
