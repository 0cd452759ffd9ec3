package run.codetether.agent.domain.loop;

import java.util.Map;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.agent.domain.session.Session;

/** What a {@link LoopTool} may do inside the task that called it. Valid only during that call. */
public interface LoopAccess {

    String taskId();

    String contextId();

    /** The tools-service session whose workspace this task edits (sub-agents share their parent's). */
    String workspaceId();

    /** The calling task's session; changes are saved with the tool result. */
    Session session();

    /** The provider and model the task runs on. */
    ProviderResolver.Resolved model();

    AgentSettings settings();

    /** One model call on the task's model; its tokens and cost are added to the task's usage. */
    ModelReply chat(ModelRequest request) throws ProviderException, InterruptedException;

    /**
     * Runs a workspace tool through tools-service. {@code callKey} must be stable for the same logical call, so a
     * resumed run replays instead of re-applying (it is made unique per task by the loop). Changed files are recorded.
     */
    ToolExecutor.Outcome tool(String callKey, String name, String argumentsJson) throws InterruptedException;

    /**
     * Runs a nested agent loop (same workspace, same model, the tools offered to sub-agents) on {@code prompt} in a
     * child session keyed by {@code key}; blocks until it ends. Its usage and changed files are added to this task.
     */
    SubAgentResult subAgent(String key, String prompt) throws InterruptedException;

    /**
     * A working-state status update to the A2A client (progress of a long tool). It carries the task's step and this
     * tool's name and call id; {@code details} are further status metadata, keys from
     * {@link run.codetether.contracts.a2a.MetadataKeys}.
     */
    void progress(String text, Map<String, Object> details);

    /** Throws the loop's stop signal when the task was canceled or handed over. */
    void checkStop();

    /** True when the task's workspace is a git checkout tools-service prepared (commits go through {@link #commit}). */
    default boolean preparedWorkspace() {
        return false;
    }

    /**
     * Commits every change of the task's workspace on its working branch (tools-service CommitChanges, outside the
     * sandbox, where git cannot write). Empty when the task has no prepared workspace (the caller may fall back to
     * git in the sandbox).
     */
    default java.util.Optional<run.codetether.agent.domain.port.Workspaces.Committed> commit(String message)
            throws run.codetether.agent.domain.port.Workspaces.Failure, InterruptedException {
        return java.util.Optional.empty();
    }

    /** True when the task was canceled by request (not handed over): work a tool started elsewhere stops too. */
    default boolean canceled() {
        return false;
    }

    /**
     * How a sub-agent ended: its answer (or why it failed) and what its model calls spent (tokens and cost, already
     * added to this task's usage; null when it ended before it had a model).
     */
    record SubAgentResult(boolean completed, String text, run.codetether.contracts.events.Usage usage) {
        public SubAgentResult(boolean completed, String text) {
            this(completed, text, null);
        }
    }
}
