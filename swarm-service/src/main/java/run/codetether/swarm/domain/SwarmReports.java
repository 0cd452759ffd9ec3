package run.codetether.swarm.domain;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmState;

/**
 * What a coordinator reports on the swarm's own task: progress lines, the final status, and the answer artifacts.
 * Every report carries {@code swarm_id}; progress also {@code completed}/{@code total} once the swarm has a plan.
 * Stateless apart from where it writes; called under the coordinator's lock.
 */
final class SwarmReports {
    private final String instanceId;
    private final SwarmOutbox outbox;
    private final Clock clock;

    SwarmReports(String instanceId, SwarmOutbox outbox, Clock clock) {
        this.instanceId = instanceId;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** @param state the swarm's current state, or null before it has a plan */
    void progress(SwarmCommand.StartSwarm cmd, SwarmState state, String text, Map<String, Object> details) {
        Map<String, Object> meta = new HashMap<>(details);
        meta.put(MetadataKeys.SWARM_ID, cmd.swarmId());
        if (state != null) {
            meta.put(MetadataKeys.COMPLETED, Aggregator.count(state.subtasks(), SubtaskStatus.COMPLETED));
            meta.put(MetadataKeys.TOTAL, state.subtasks().size());
        }
        Message msg = Message.agentText(UUID.randomUUID().toString(), cmd.contextId(), cmd.taskId(), text);
        outbox.report(new TaskEvent.StatusChanged(cmd.taskId(), cmd.contextId(), instanceId,
                new TaskStatus(TaskState.WORKING, msg, clock.instant()), meta, clock.instant()));
    }

    /** A sub-agent's report before its end; its messages and finished artifacts are only collected, not reported. */
    void attempt(SwarmState state, String subtaskId, TaskEvent event) {
        switch (event) {
            // a chunk of the sub-agent's answer as the model writes it: the first says it is answering (no tool runs)
            case TaskEvent.ArtifactAdded a when a.streamed() && !a.append() -> subtask(state, subtaskId,
                    event.taskId(), "working", "answering", Map.of(MetadataKeys.PARTIAL, true));
            case TaskEvent.StatusChanged s -> {
                String stateName = s.status().state().name().toLowerCase();
                subtask(state, subtaskId, event.taskId(), stateName,
                        s.status().message() == null ? stateName : s.status().message().text(), s.metadata());
            }
            default -> { }
        }
    }

    /**
     * A sub-agent's progress (one attempt's task) on the swarm's own task; {@code worker}: the sub-agent's own step,
     * tool and usage, for the per-sub-agent detail view.
     */
    void subtask(SwarmState state, String subtaskId, String taskId, String subtaskState, String text,
            Map<String, Object> worker) {
        Map<String, Object> meta = new HashMap<>(Map.of(MetadataKeys.SUBTASK_ID, subtaskId,
                MetadataKeys.SUBTASK_TASK_ID, taskId, MetadataKeys.SUBTASK_STATE, subtaskState));
        if (!worker.isEmpty()) {
            meta.put(MetadataKeys.SUBTASK_METADATA, worker);
        }
        progress(state.command(), state, "subtask " + subtaskId + ": " + text, meta);
    }

    /** The final status; a completed swarm also gets the answer as an agent message. */
    void terminal(SwarmCommand.StartSwarm cmd, TaskState taskState, String text, Map<String, Object> details) {
        Map<String, Object> meta = new HashMap<>(details);
        meta.put(MetadataKeys.SWARM_ID, cmd.swarmId());
        Message msg = Message.agentText(UUID.randomUUID().toString(), cmd.contextId(), cmd.taskId(), text);
        if (taskState == TaskState.COMPLETED) {
            outbox.report(new TaskEvent.MessageAdded(cmd.taskId(), cmd.contextId(), instanceId, msg, clock.instant()));
        }
        outbox.report(new TaskEvent.StatusChanged(cmd.taskId(), cmd.contextId(), instanceId,
                new TaskStatus(taskState, msg, clock.instant()), meta, clock.instant()));
    }

    /** The two result artifacts: the answer with a per-subtask summary, and every result joined in stage order. */
    void answer(SwarmCommand.StartSwarm cmd, List<SubtaskState> subtasks, String answer, String joined) {
        List<Map<String, Object>> summary = subtasks.stream().map(SwarmReports::summary).toList();
        Artifact artifact = new Artifact("swarm-" + cmd.swarmId() + "-result", "swarm-result",
                "Aggregated answer of swarm " + cmd.swarmId(),
                List.of(Part.Text.of(answer), new Part.Data(Map.of(MetadataKeys.SUBTASKS, summary), null)), null, null);
        outbox.report(new TaskEvent.ArtifactAdded(cmd.taskId(), cmd.contextId(), instanceId, artifact, false, true,
                clock.instant()));
        Artifact results = new Artifact("swarm-" + cmd.swarmId() + "-subtask-results", "swarm-subtask-results",
                "Every subtask's result, joined in stage order", List.of(Part.Text.of(joined)), null, null);
        outbox.report(new TaskEvent.ArtifactAdded(cmd.taskId(), cmd.contextId(), instanceId, results, false, true,
                clock.instant()));
    }

    private static Map<String, Object> summary(SubtaskState s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(MetadataKeys.ID, s.id());
        row.put(MetadataKeys.TITLE, s.title());
        row.put(MetadataKeys.STAGE, s.stage());
        row.put(MetadataKeys.STATUS, s.status().wire());
        row.put(MetadataKeys.ATTEMPTS, s.attempts());
        row.put(MetadataKeys.CACHED, s.cached());
        if (s.usage() != null) {
            row.put(MetadataKeys.USAGE, s.usage().toMetadata());
        }
        return row;
    }

    /** {@code details} plus the swarm's {@code usage} so far (the task's total, as on any task's final status). */
    static Map<String, Object> withUsage(Map<String, Object> details, SwarmState state) {
        Usage spent = state.spent();
        if (spent == null) {
            return details;
        }
        Map<String, Object> meta = new HashMap<>(details);
        meta.put(MetadataKeys.USAGE, spent.toMetadata());
        return meta;
    }

    /**
     * Reports a swarm whose answer is written: the answer artifact and the terminal status (completed, or failed
     * when a subtask failed), with how the answer was written.
     *
     * @return the swarm's final phase
     */
    SwarmPhase finished(SwarmState state, AnswerAggregator.Aggregate result) {
        SwarmCommand.StartSwarm cmd = state.command();
        List<SubtaskState> subtasks = state.subtasks();
        long failed = Aggregator.count(subtasks, SubtaskStatus.FAILED);
        SwarmPhase phase = failed == 0 ? SwarmPhase.COMPLETED : SwarmPhase.FAILED;
        answer(cmd, subtasks, result.answer(), Aggregator.answer(cmd.goal(), subtasks));
        Map<String, Object> meta = new HashMap<>(Map.of(MetadataKeys.PHASE, phase.wire(),
                MetadataKeys.FAILED_SUBTASKS, failed, MetadataKeys.AGGREGATION, result.mode()));
        if (result.error() != null) {
            meta.put(MetadataKeys.AGGREGATION_ERROR, result.error());
        }
        terminal(cmd, phase == SwarmPhase.COMPLETED ? TaskState.COMPLETED : TaskState.FAILED, result.answer(),
                withUsage(meta, state));
        return phase;
    }
}
