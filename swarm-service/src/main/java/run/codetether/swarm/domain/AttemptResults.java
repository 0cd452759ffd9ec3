package run.codetether.swarm.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SwarmState;

/**
 * The result side of a coordinator's subtask attempts: which task id is the current attempt of which subtask, the
 * reports collected per attempt, and the check of an ended attempt's result, by rules at once or by a model off the
 * coordinator's lock. Guarded by the coordinator's lock (every method runs under it); the model check runs on the
 * model-call executor and takes the lock again only to hand its verdict back.
 */
final class AttemptResults {
    /** Where an attempt belongs. */
    record Attempt(String swarmId, String subtaskId) {}

    /** What the coordinator does with a checked result (under its lock) or with a check its tenant's budget refused. */
    interface Verdicts {
        /** @param checking what a model check of the result spent, or null */
        void apply(Attempt owner, String taskId, TaskEvent.StatusChanged end, String result,
                ResultValidator.Verdict verdict, Usage checking);

        void refused(String swarmId, String reason);
    }

    private final ResultValidator validator;
    private final CoordinatorBudget budget;
    private final Executor modelCalls;
    private final Object lock;
    private final Verdicts verdicts;
    /** Task id of a subtask's current attempt -> where it belongs. */
    private final Map<String, Attempt> attempts = new HashMap<>();
    private final Map<String, AttemptReports> collected = new HashMap<>();

    AttemptResults(ResultValidator validator, CoordinatorBudget budget, Executor modelCalls, Object lock,
            Verdicts verdicts) {
        this.validator = validator;
        this.budget = budget;
        this.modelCalls = modelCalls;
        this.lock = lock;
        this.verdicts = verdicts;
    }

    /** {@code taskId} is now the current attempt of the subtask: its reports count. */
    void track(String taskId, String swarmId, String subtaskId) {
        attempts.put(taskId, new Attempt(swarmId, subtaskId));
    }

    /** The attempt was canceled: its late reports are ignored. */
    void forget(String taskId) {
        attempts.remove(taskId);
        collected.remove(taskId);
    }

    /** The swarms went to another instance. */
    void release(Set<String> swarmIds) {
        attempts.values().removeIf(a -> swarmIds.contains(a.swarmId()));
    }

    /**
     * Collects a worker's report; returns where it belongs, or null when it is no current attempt's (another
     * instance's swarm, an attempt replaced by a retry, a late report).
     */
    Attempt collect(TaskEvent event) {
        Attempt owner = attempts.get(event.taskId());
        if (owner != null) {
            collected.computeIfAbsent(event.taskId(), k -> new AttemptReports()).collect(event);
        }
        return owner;
    }

    /** The attempt ended ({@code end} is final): its result is checked and handed to {@link Verdicts#apply}. */
    void finish(Attempt owner, TaskEvent.StatusChanged end, SwarmState state) {
        String taskId = end.taskId();
        attempts.remove(taskId);
        AttemptReports c = collected.remove(taskId);
        SubtaskState sub = SwarmStates.find(state, owner.subtaskId());
        boolean ok = end.status().state() == TaskState.COMPLETED;
        String result = c.result(end.status().message());
        var cmd = state.command();
        if (!validator.usesModel()) {
            verdicts.apply(owner, taskId, end, result,
                    validator.check(cmd.provider(), cmd.model(), sub.instruction(), ok, result), null);
            return;
        }
        modelCalls.execute(() -> {
            CallMeter.Metered<ResultValidator.Verdict> verdict = budget.call(cmd, true,
                    state.coordinatorUsage() != null,
                    () -> validator.check(cmd.provider(), cmd.model(), sub.instruction(), ok, result));
            if (verdict.failure() instanceof CoordinatorBudget.Refusal r) {
                verdicts.refused(owner.swarmId(), r.getMessage());
                return;
            }
            synchronized (lock) {
                if (verdict.failure() != null) {
                    throw verdict.failure(); // check() answers a failed model check itself; this is a defect
                }
                verdicts.apply(owner, taskId, end, result, verdict.value(), verdict.usage());
            }
        });
    }
}
