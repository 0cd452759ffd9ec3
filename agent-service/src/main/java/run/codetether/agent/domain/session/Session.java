package run.codetether.agent.domain.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.agent.domain.model.ChatMessage;

/**
 * A conversation (A2A contextId) and the state of its tasks. The full history is kept in {@link #messages}; after
 * compaction the model sees {@link #summary} in place of the first {@link #summarizedCount} messages, but nothing
 * is deleted. Mutable: one loop owns a session at a time (the worker serialises tasks per contextId); the store
 * keeps copies.
 */
public final class Session {
    public String contextId;
    public List<ChatMessage> messages = new ArrayList<>();
    public String summary;
    public int summarizedCount;
    public Map<String, TaskProgress> tasks = new LinkedHashMap<>();
    public List<Todo> todos = new ArrayList<>();
    public Plan plan;
    public Instant updatedAt = Instant.now();
    /** Whether the context's sandbox reaches the network through the egress proxy (a later task keeps it). */
    public boolean workspaceEgress;
    /** SHA-256 of the last {@code changes} diff a task of this context reported: an unchanged workspace is not reported again. */
    public String changesDigest;
    /**
     * What the model is told about this context's workspace, as its last prepare found it (without a task's push):
     * a later task that makes its workspace lazily describes it so before its first call. Null: not made yet, or a
     * session from before this field.
     */
    public String workspaceNote;

    public Session() {}

    public Session(String contextId) {
        this.contextId = contextId;
    }

    /** A todo item, as the original's todo_write keeps them. */
    public record Todo(String id, String content, String status, String priority) {}

    /** The active plan of plan mode (null outside plan mode). */
    public record Plan(String goal, List<String> steps, List<Boolean> completed) {}

    /** What the model sees: the summary (if any) followed by the messages after it. */
    public List<ChatMessage> modelView() {
        List<ChatMessage> out = new ArrayList<>(messages.size() - summarizedCount + 1);
        if (summary != null) {
            out.add(CompactedImages.summaryMessage(summary, messages.subList(0, summarizedCount)));
        }
        out.addAll(messages.subList(summarizedCount, messages.size()));
        return out;
    }

    public TaskProgress task(String taskId) {
        return tasks.get(taskId);
    }
}
