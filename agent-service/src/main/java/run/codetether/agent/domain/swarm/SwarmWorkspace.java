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
        if (shared != null) {
            return shared;
        }
        String codebase = codebaseId(command);
        return codebase != null ? CODEBASE_PREFIX + codebase : command.contextId();
    }

    /**
     * The workspace id of a task on a worker's codebase: {@code worker/<codebase id>} ('/' never occurs in a
     * tools-service session id, so a client's context id cannot take it). The gateway resolved the name the client
     * gave to the caller's own codebase id before the task started.
     */
    public static final String CODEBASE_PREFIX = "worker/";

    private static String codebaseId(TaskCommand command) {
        if (command instanceof TaskCommand.StartTask s) {
            try {
                return run.codetether.contracts.workspace.CodebaseRef.of(s.metadata())
                        .filter(run.codetether.contracts.workspace.CodebaseRef::isId)
                        .map(run.codetether.contracts.workspace.CodebaseRef::ref).orElse(null);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Tool call ids are the idempotency keys of a workspace; subtasks sharing one get their task id as prefix so two
     * sub-agents' "call_0" stay apart.
     */
    public static String callPrefix(TaskCommand command) {
        if (shared(command) == null && codebaseId(command) != null) {
            // a codebase is shared by every task on it: the worker's idempotency keys must not collide across tasks
            return "task:" + command.taskId() + ":";
        }
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
