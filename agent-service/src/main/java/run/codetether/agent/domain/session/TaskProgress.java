package run.codetether.agent.domain.session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one task of a session stands. Persisted inside the {@link Session} after every step, so another worker
 * continues exactly here. Mutable; owned by the one loop that runs the task.
 */
public final class TaskProgress {
    public enum State {
        WORKING,
        INPUT_REQUIRED,
        COMPLETED,
        FAILED,
        CANCELED;

        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == CANCELED;
        }
    }

    public String taskId;
    public State state = State.WORKING;
    public String provider;
    public String model;
    public int steps;
    public long inputTokens;
    public long outputTokens;
    public double costUsd;
    /** Call id of the open {@code question}; the next user message answers it. */
    public String pendingQuestionCallId;
    public Set<String> changedFiles = new LinkedHashSet<>();
    public String finalText;
    public String error;
    /** Counter for call ids the agent assigns (providers without ids). */
    public int assignedIds;
    /**
     * What the task's workspace is, as the model is told (null: no prepared workspace, e.g. an older tools-service);
     * set once the workspace is ready, so the end of the task knows to report its change.
     */
    public String workspace;
    /** The branch ({@code codetether/<name>}) the change is pushed to when the task completes; null = no push. */
    public String pushBranch;
    /** The A2A tenant of the task (null: none); decides which configured MCP servers it gets. */
    public String tenant;
    /** The task's own MCP servers, {@code metadata.mcp_servers} as the client sent it (message over request); null: none. */
    public Object mcpServers;

    public TaskProgress() {}

    public TaskProgress(String taskId) {
        this.taskId = taskId;
    }

    public List<String> changedFilesList() {
        return new ArrayList<>(changedFiles);
    }
}
