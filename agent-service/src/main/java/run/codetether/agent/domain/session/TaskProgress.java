package run.codetether.agent.domain.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
    /** Prompt tokens neither read from nor written to the provider's cache (the four counts are disjoint). */
    public long inputTokens;
    public long outputTokens;
    /** Prompt tokens the provider served from its cache. */
    public long cacheReadTokens;
    /** Prompt tokens the provider wrote to its cache. */
    public long cacheWriteTokens;
    /** The sum of each model call's cost (its usage at its model's catalog price); 0 while unpriced. */
    public double costUsd;
    /** Call id of the open {@code question}; the next user message answers it. */
    public String pendingQuestionCallId;
    public Set<String> changedFiles = new LinkedHashSet<>();
    /**
     * Calls of this task that did not complete because tools-service died while they ran (call id to the call, as
     * {@code tool arguments}); a later call of the same tool with the same arguments that completes clears its
     * entry. A task with an entry left does not end COMPLETED (issue 19): see {@code InterruptedCalls}.
     */
    public Map<String, String> interruptedCalls = new LinkedHashMap<>();
    public String finalText;
    public String error;
    /** The task's access mode ({@code full | approve | ask}); null (older sessions): full. */
    public String accessMode;
    /** The client answered {@code approve_all}: no later call of this task is asked about. */
    public boolean approveAll;
    /**
     * The client's decisions per call id ({@code approve | deny}). Kept in the session so that a call approved
     * before a worker restart runs (once: under its call id) without being asked again.
     */
    public Map<String, String> approvals = new LinkedHashMap<>();
    /** What the client said with a denial (anything but approve/deny), per call id: the model reads it. */
    public Map<String, String> approvalNotes = new LinkedHashMap<>();
    /** Call id of the call whose approval the task waits for; the next user message answers it. */
    public String pendingApprovalCallId;
    /**
     * What the open question or approval request told the client (the status message's text, the question's
     * status details, the approval request's data part; null: none, or saved by an older agent): a redelivered
     * command of a task whose question never reached the client sends it again (issue 19).
     */
    public String pendingText;
    public Map<String, Object> pendingDetails;
    public Map<String, Object> pendingApproval;
    /**
     * The message id of the last user message taken in as an answer (to a question or an approval request): the
     * same message redelivered to a worker after a kill (its command not yet committed) is not taken again as the
     * answer to the task's next question (issue 19: a redelivered "approve" approved the next call).
     */
    public String answeredMessageId;
    /**
     * The change this task's end reported in its {@code changes} artifact: the SHA-256 of the diff, "" when the diff
     * could not be taken, null when the end reported no change. A re-sent end makes the same artifact again from the
     * workspace when the workspace still holds that diff (issue 19).
     */
    public String reportedChange;
    /** The branch and commit the task's change was pushed to at its end (null: not pushed). */
    public String pushedBranch;
    public String pushedCommit;
    /** Counter for call ids the agent assigns (providers without ids). */
    public int assignedIds;
    /**
     * What the task's workspace is, as the model is told (null: no prepared workspace, e.g. an older tools-service);
     * set once the workspace is ready, so the end of the task knows to report its change.
     */
    public String workspace;
    /**
     * The task's workspace is not made yet: a task without a {@code workspace} source makes it on its first call that
     * runs in it (an empty git repository for a new context), so a text-only answer costs no git at all. Persisted:
     * a continued task makes it on its first call too.
     */
    public boolean workspacePending;
    /**
     * Calls of this task, in any of its runs, that ran in its workspace (tools-service and MCP tools, loop tools, a
     * sub-agent's calls): the end asks for the diff only when there was one. Counted as calls, not as
     * {@link #changedFiles}, which misses what bash changed.
     */
    public int workspaceCalls;
    /**
     * Where the task's workspace tools run, as its start decided (its context, a swarm's workspace or
     * {@code worker/<codebase id>}), and the prefix of its wire call ids. A continued task (an approval, a question's
     * answer) runs there too: its ContinueTask does not repeat the start's metadata. Null in older sessions.
     */
    public String workspaceId;
    public String callPrefix;
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
