package run.codetether.agent.domain.swarm;

import run.codetether.contracts.events.TaskCommand;

/**
 * Where a task's workspace tools run. A swarm subtask works in the swarm's workspace, as the original's sub-agents
 * worked in their parent's directory: swarm-service names it in the subtask's {@code subtask.workspaceId} (the
 * swarm's contextId, which for the {@code swarm} tool is the calling task's workspace). Only a command that
 * swarm-service dispatched (both {@code parentTaskId} and {@code swarmId} set; the gateway never sets a parent) may
 * name another workspace, so a client cannot reach a foreign one. Every other task works in its own context's
 * workspace.
 */
public final class SwarmWorkspace {

    private SwarmWorkspace() {}

    public static String workspaceId(TaskCommand command) {
        String shared = shared(command);
        return shared != null ? shared : command.contextId();
    }

    /**
     * Tool call ids are the idempotency keys of a workspace; subtasks sharing one get their task id as prefix so two
     * sub-agents' "call_0" stay apart.
     */
    public static String callPrefix(TaskCommand command) {
        return shared(command) != null ? "swarm:" + command.taskId() + ":" : "";
    }

    private static String shared(TaskCommand command) {
        if (command instanceof TaskCommand.StartTask s && s.parentTaskId() != null && s.swarmId() != null
                && s.subtask() != null && s.subtask().workspaceId() != null && !s.subtask().workspaceId().isBlank()) {
            return s.subtask().workspaceId();
        }
        return null;
    }
}
