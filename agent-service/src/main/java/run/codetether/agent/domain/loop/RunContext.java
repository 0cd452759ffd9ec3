package run.codetether.agent.domain.loop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import run.codetether.agent.domain.dispatch.CallScope;
import run.codetether.agent.domain.dispatch.ToolCatalog;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.domain.swarm.SwarmWorkspace;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Progress;

/** Everything one run carries around: its command, where it works, and the state it builds. Owned by one thread. */
final class RunContext implements CallScope {
    final LoopParts parts;
    final TaskRun run;
    /** Where this run's events go: tasks.events for a task, the parent for a sub-agent. */
    final EventPublisher events;
    final int depth;
    /**
     * The tools-service session (workspace) or {@code worker/<codebase id>}; a sub-agent edits its parent's
     * workspace. Not final: a continued task takes the one its start recorded ({@link #continueWhereStarted}).
     */
    String workspaceId;
    /** Prefix that keeps a sub-agent's call ids apart from its parent's in the shared workspace. */
    String callPrefix;
    /** The run a sub-agent works for (null at depth 0): its workspace, note and lazy making are the parent's. */
    private final RunContext parent;
    /** Makes a lazily made workspace once, also when calls run in parallel (see {@link WorkspaceSetup#ensure}). */
    final java.util.concurrent.locks.ReentrantLock workspaceLock = new java.util.concurrent.locks.ReentrantLock();
    /** This run's answer artifact as streamed (issue 18): the finished answer closes it. */
    final AnswerStream answer;
    Session session;
    TaskProgress task;
    ProviderResolver.Resolved model;
    ToolCatalog catalog;
    /** The last model turn's update, sent only when a further step follows it ({@link TurnRunner#report}). */
    Progress lastTurn;
    /** That update once reported, until the step's first event carries it or it goes out alone ({@link TurnUsage}). */
    Progress turnUpdate;

    private RunContext(LoopParts parts, TaskRun run, EventPublisher events, int depth, String workspaceId,
            String callPrefix, RunContext parent) {
        this.parent = parent;
        this.parts = parts;
        this.run = run;
        this.events = events;
        this.depth = depth;
        this.workspaceId = workspaceId;
        this.callPrefix = callPrefix;
        this.answer = new AnswerStream(parts.settings().partialEvery(), parts.settings().firstChunkHold(),
                System::nanoTime, parts.scheduler());
    }

    /** A task's run: its workspace is its context's, or the swarm's for a swarm subtask. */
    static RunContext of(LoopParts parts, TaskRun run, EventPublisher events) {
        return new RunContext(parts, run, events, 0, SwarmWorkspace.workspaceId(run.command()),
                SwarmWorkspace.callPrefix(run.command()), null);
    }

    /** At a task's start: where it works, kept in the session for the runs that continue it. */
    void recordWhereStarted() {
        task.workspaceId = workspaceId;
        task.callPrefix = callPrefix;
    }

    /**
     * A ContinueTask carries only the client's message, not the start's metadata (the codebase, the swarm's
     * workspace): without this, an approved edit of a task on a worker's codebase ran on tools-service in the
     * context's directory instead of on the worker, and under other idempotency keys.
     */
    void continueWhereStarted() {
        if (depth == 0 && task.workspaceId != null) {
            workspaceId = task.workspaceId;
            callPrefix = task.callPrefix == null ? "" : task.callPrefix;
        }
    }

    /** A sub-agent's run, one level deeper, in this run's workspace. */
    RunContext child(TaskRun childRun, EventPublisher sink, String key) {
        return new RunContext(parts, childRun, sink, depth + 1, workspaceId, callPrefix + "sub:" + key + ":", this);
    }

    /** What the model is told about the workspace (null: a plain directory, nothing to say). */
    String workspaceNote() {
        return depth == 0 ? (task == null ? null : task.workspace) : parent.workspaceNote();
    }

    /** A sub-agent's calls make and count the workspace of the task it works for. */
    @Override
    public java.util.Optional<String> useWorkspace(boolean runs) throws InterruptedException {
        return depth == 0 ? parts.workspaceSetup().ensure(this, runs) : parent.useWorkspace(runs);
    }

    String workerId() {
        return parts.settings().workerId();
    }

    /** Provider ids where there are none (Gemini, the router) or duplicates: stable and unique in the session. */
    List<ToolCall> withIds(List<ToolCall> calls) {
        Set<String> used = new HashSet<>();
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (ToolCall c : calls) {
            String id = c.id();
            if (id == null || id.isBlank() || !used.add(id)) {
                id = "agent-" + task.taskId + "-" + (++task.assignedIds);
                used.add(id);
            }
            out.add(new ToolCall(id, c.name(), c.argumentsJson()));
        }
        return out;
    }

    @Override
    public String taskId() {
        return task.taskId;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public TaskProgress task() {
        return task;
    }

    @Override
    public String workspaceId() {
        return workspaceId;
    }

    /** tools-service takes call ids of at most 256 characters; deep sub-agent prefixes are folded into a hash. */
    @Override
    public String wireCallId(String callId) {
        String id = callPrefix + callId;
        if (id.length() <= 256) {
            return id;
        }
        return id.substring(0, 180) + "#" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Duration toolTimeout() {
        return parts.settings().toolTimeout();
    }

    @Override
    public Duration partialEvery() {
        return parts.settings().partialEvery();
    }

    @Override
    public void progress(String text, Progress progress) {
        parts.reporter().status(this, TaskState.WORKING, text, progress, Map.of());
    }

    @Override
    public void progress(String text, Progress progress, Map<String, Object> details) {
        parts.reporter().status(this, TaskState.WORKING, text, progress, details);
    }

    @Override
    public void checkStop() {
        if (run.canceled() || run.abandoned() || Thread.currentThread().isInterrupted()) {
            throw new TaskRun.Stop();
        }
    }

    @Override
    public boolean stopping() {
        return run.canceled() || run.abandoned();
    }

    @Override
    public String filterOutput(String tool, JsonNode arguments, String output) throws InterruptedException {
        for (LoopTool t : parts.loopTools()) {
            output = t.filterToolOutput(tool, arguments, output, new RunAccess(this, t.spec().name(), null));
        }
        return output;
    }
}
