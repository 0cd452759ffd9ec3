package run.codetether.agent.domain.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.agent.domain.session.TaskProgress.State;
import run.codetether.agent.domain.swarm.SwarmWorkspace;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;

/**
 * The agent loop: model call, tool calls, results, repeat, until the model answers without calls. The session is
 * saved after every model reply (awaited when a call may change something, so its id is durable before it runs)
 * and after every tool result (sent, not awaited), so a run that dies anywhere continues on another worker from the last save; a tool
 * call whose result was not saved is sent again under the same call id, which tools-service answers from its
 * idempotency store instead of applying it twice. Thread-safe: one instance serves
 * every run; each run owns its session while it runs.
 */
public final class AgentLoop {
    private static final Logger LOG = Logger.getLogger(AgentLoop.class.getName());
    /** tools-service tools without side effects in the workspace (re-running them changes nothing). */
    private static final Set<String> READ_ONLY = Set.of("read_file", "list_dir", "glob", "grep", "codesearch", "image",
            "webfetch", "websearch");
    /** Tools whose output is streamed while they run (ExecuteStream). */
    private static final Set<String> STREAMED = Set.of("bash");
    /** Id prefix of the tool call a skill task starts with. */
    private static final String SKILL_CALL = "skill-";
    private static final Set<String> MUTATING = Set.of("write_file", "edit", "multiedit", "apply_patch", "patch",
            "confirm_edit", "confirm_multiedit", "undo");

    private final AgentSettings settings;
    private final ProviderResolver providers;
    private final ToolExecutor tools;
    private final CallRouter router;
    private final EventPublisher events;
    private final SessionStore sessions;
    private final TaskMetrics metrics;
    private final AgentTools localTools;
    private final Map<String, LoopTool> loopTools;

    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, CallRouter router,
            EventPublisher events, SessionStore sessions, TaskMetrics metrics) {
        this(settings, providers, tools, router, events, sessions, metrics, List.of());
    }

    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, CallRouter router,
            EventPublisher events, SessionStore sessions, TaskMetrics metrics, List<LoopTool> loopTools) {
        this.settings = settings;
        this.providers = providers;
        this.tools = tools;
        this.router = router;
        this.events = events;
        this.sessions = sessions;
        this.metrics = metrics;
        this.localTools = new AgentTools(settings.skillsDir());
        Map<String, LoopTool> byName = new LinkedHashMap<>();
        for (LoopTool t : loopTools) {
            if (byName.putIfAbsent(t.spec().name(), t) != null || AgentTools.isLocal(t.spec().name())) {
                throw new IllegalArgumentException("two agent-level tools are named " + t.spec().name());
            }
        }
        this.loopTools = Map.copyOf(byName);
    }

    /** Runs one command to its end (completed, failed, canceled, input-required) or until abandoned. */
    public void run(TaskRun run) {
        run.bind(Thread.currentThread());
        Context cx = new Context(run, events, settings.workerId(), 0, SwarmWorkspace.workspaceId(run.command()),
                SwarmWorkspace.callPrefix(run.command()));
        try {
            execute(cx);
        } catch (Ended e) {
            // the task reached its end state and published it
        } catch (TaskRun.Stop | InterruptedException e) {
            stopped(cx);
        } catch (RuntimeException e) {
            if (run.canceled() || run.abandoned()) {
                stopped(cx);
            } else {
                LOG.log(Level.WARNING, "task " + run.taskId() + " failed unexpectedly", e);
                fail(cx, "internal error in agent-service: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        } finally {
            Thread.interrupted(); // clear a late interrupt before the thread returns to its pool
        }
    }

    /** Everything one run carries around. */
    private static final class Context {
        final TaskRun run;
        final EventPublisher events;
        final String workerId;
        final int depth;
        /** The tools-service session (workspace); a sub-agent edits its parent's workspace. */
        final String workspaceId;
        /** Prefix that keeps a sub-agent's call ids apart from its parent's in the shared workspace. */
        final String callPrefix;
        Session session;
        TaskProgress task;
        ProviderResolver.Resolved model;
        List<ToolSpec> offered;
        Map<String, ToolSpec> byName;

        Context(TaskRun run, EventPublisher events, String workerId, int depth, String workspaceId, String callPrefix) {
            this.run = run;
            this.events = events;
            this.workerId = workerId;
            this.depth = depth;
            this.workspaceId = workspaceId;
            this.callPrefix = callPrefix;
        }
    }

    private void execute(Context cx) throws InterruptedException {
        TaskRun run = cx.run;
        cx.session = sessions.load(run.contextId()).orElseGet(() -> new Session(run.contextId()));
        cx.task = cx.session.task(run.taskId());
        switch (run.command()) {
            case TaskCommand.StartTask start -> {
                if (cx.task != null && cx.task.state != State.WORKING) {
                    // a redelivered command of a task that already ended or waits for input: nothing to do
                    LOG.fine(() -> "task " + run.taskId() + " is " + cx.task.state + "; ignoring redelivered start");
                    return;
                }
                if (cx.task == null) {
                    cx.task = new TaskProgress(run.taskId());
                    cx.task.provider = start.provider();
                    cx.task.model = start.model();
                    cx.session.tasks.put(run.taskId(), cx.task);
                    // an earlier task of the context may have left calls without results (a question nobody
                    // answered): providers refuse a history with such calls, so they are closed first
                    closeOpenCalls(cx.session, "Not answered: a new task started in this conversation.");
                    cx.session.messages.add(new ChatMessage.User(start.message().text()));
                    skillCall(start).ifPresent(c -> cx.session.messages.add(new ChatMessage.Assistant("", List.of(c))));
                    save(cx);
                }
            }
            case TaskCommand.ContinueTask cont -> {
                if (cx.task == null) {
                    publishFinal(cx, TaskState.FAILED, "task " + run.taskId() + " is not known in context "
                            + run.contextId() + "; start a new task instead", Map.of());
                    return;
                }
                if (cx.task.state == State.INPUT_REQUIRED) {
                    cx.session.messages.add(new ChatMessage.ToolResult(cx.task.pendingQuestionCallId,
                            AgentTools.QUESTION, cont.message().text(), false));
                    cx.task.pendingQuestionCallId = null;
                    cx.task.state = State.WORKING;
                    save(cx);
                } else if (cx.task.state != State.WORKING) {
                    return; // redelivered after the task ended
                }
            }
        }
        if (run.canceled()) {
            throw new TaskRun.Stop();
        }
        try {
            cx.model = providers.resolve(cx.task.provider, cx.task.model);
        } catch (ProviderException e) {
            fail(cx, e.getMessage());
            return;
        }
        cx.task.provider = cx.model.provider();
        cx.task.model = cx.model.modelId();
        cx.offered = offeredTools(cx);
        publishStatus(cx, TaskState.WORKING, null, Map.of("step", cx.task.steps, "provider", cx.model.provider(),
                "model", cx.model.modelId()));
        if (run.command() instanceof TaskCommand.StartTask start && runSkill(cx, start)) {
            return;
        }
        loop(cx);
    }

    /** metadata.skill naming a loop tool that answers skills: its result is the task's answer; true when it ran. */
    private boolean runSkill(Context cx, TaskCommand.StartTask start) throws InterruptedException {
        Object skill = start.metadata() == null ? null : start.metadata().get("skill");
        LoopTool tool = skill == null || cx.depth > 0 || cx.task.steps > 0 ? null : loopTools.get(skill.toString());
        Optional<LoopTool.Result> r = tool == null ? Optional.empty() : tool.runSkill(start, new Access(cx));
        if (r.isEmpty()) {
            return false;
        }
        if (r.get().error()) {
            fail(cx, r.get().content());
        } else {
            cx.session.messages.add(new ChatMessage.Assistant(r.get().content(), List.of()));
            complete(cx, r.get().content());
        }
        return true;
    }

    private List<ToolSpec> offeredTools(Context cx) {
        List<ToolSpec> all = new ArrayList<>(tools.list());
        for (ToolSpec local : AgentTools.SPECS) {
            if (!(cx.depth > 0 && local.name().equals(AgentTools.TASK))) {
                all.add(local);
            }
        }
        for (LoopTool t : loopTools.values()) {
            if (cx.depth == 0 || t.offeredToSubAgents()) {
                all.add(t.spec());
            }
        }
        Map<String, ToolSpec> byName = new LinkedHashMap<>();
        all.forEach(t -> byName.putIfAbsent(t.name(), t));
        cx.byName = byName;
        return List.copyOf(byName.values());
    }

    private void loop(Context cx) throws InterruptedException {
        Instant deadline = Instant.now().plus(settings.wallClock());
        while (true) {
            checkStop(cx);
            List<ToolCall> pending = unanswered(cx.session);
            if (!pending.isEmpty()) {
                if (!executeCalls(cx, pending)) {
                    return; // waiting for the user
                }
                continue;
            }
            if (skillAnswered(cx)) {
                return;
            }
            if (cx.task.steps >= settings.maxSteps()) {
                fail(cx, "step limit reached: " + settings.maxSteps() + " model calls without a final answer "
                        + "(codetether.agent.max-steps)");
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                fail(cx, "wall-clock budget of " + settings.wallClock().toSeconds() + " s exceeded "
                        + "(codetether.agent.task-timeout)");
                return;
            }
            compactIfNeeded(cx);
            ModelReply reply = callModel(cx);
            List<ToolCall> calls = withIds(cx, reply.toolCalls());
            if (calls.isEmpty() && !cx.offered.isEmpty() && !reply.text().isBlank()) {
                calls = withIds(cx, router.route(reply.text(), cx.offered));
            }
            cx.session.messages.add(new ChatMessage.Assistant(reply.text(), calls));
            if (!calls.isEmpty() && calls.stream().allMatch(c -> READ_ONLY.contains(c.name()))) {
                // nothing these calls do needs undoing: if this save is lost with the worker, the resumed run asks
                // the model again, and no side effect happened in between
                saveSoon(cx);
            } else {
                save(cx); // the call ids are durable before any call that changes something runs
            }
            if (calls.isEmpty()) {
                complete(cx, reply.text());
                return;
            }
        }
    }

    /**
     * A task whose metadata names a skill a loop tool serves (e.g. {@code skill=ralph}) starts with that tool's call
     * already in the session, as if the model had made it: it then runs, is saved and resumes like any call.
     */
    private Optional<ToolCall> skillCall(TaskCommand.StartTask start) {
        if (!(start.metadata().get("skill") instanceof String skill)) {
            return Optional.empty();
        }
        for (LoopTool t : loopTools.values()) {
            Optional<String> args = t.skillCall(skill, start.message().text(), start.metadata());
            if (args.isPresent()) {
                return Optional.of(new ToolCall(SKILL_CALL + start.taskId(), t.spec().name(), args.get()));
            }
        }
        return Optional.empty();
    }

    /** The skill call's result is the task's answer (an error result fails the task with it). */
    private boolean skillAnswered(Context cx) {
        List<ChatMessage> m = cx.session.messages;
        if (m.isEmpty() || !(m.get(m.size() - 1) instanceof ChatMessage.ToolResult r)
                || !r.callId().equals(SKILL_CALL + cx.task.taskId)) {
            return false;
        }
        if (r.error()) {
            fail(cx, r.content());
        } else {
            complete(cx, r.content());
        }
        return true;
    }

    private ModelReply callModel(Context cx) throws InterruptedException {
        ModelRequest request = new ModelRequest(cx.model.modelId(), SystemPrompt.build(cx.session.contextId, cx.offered),
                cx.session.modelView(), cx.offered);
        StringBuilder partial = new StringBuilder();
        long[] lastPublish = {0};
        int step = cx.task.steps + 1;
        long start = System.nanoTime();
        ModelReply reply;
        try {
            reply = Blocking.call(() -> cx.model.chat().chat(request, delta -> {
                partial.append(delta);
                long now = System.nanoTime();
                if (now - lastPublish[0] >= settings.partialEvery().toNanos() && !cx.run.canceled()) {
                    lastPublish[0] = now;
                    publishStatus(cx, TaskState.WORKING, partial.toString(), Map.of("step", step, "partial", true));
                }
            }), ProviderException.class);
        } catch (ProviderException e) {
            checkStop(cx);
            fail(cx, e.getMessage());
            throw new Ended();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        cx.task.steps = step;
        cx.task.inputTokens += reply.usage().inputTokens();
        cx.task.outputTokens += reply.usage().outputTokens();
        cx.task.costUsd = cx.model.info().cost(cx.task.inputTokens, cx.task.outputTokens);
        metrics.step(cx.model.provider(), cx.model.modelId(), took);
        return reply;
    }

    private List<ToolCall> withIds(Context cx, List<ToolCall> calls) {
        Set<String> used = new HashSet<>();
        List<ToolCall> out = new ArrayList<>(calls.size());
        for (ToolCall c : calls) {
            String id = c.id();
            if (id == null || id.isBlank() || !used.add(id)) {
                // providers without ids (Gemini) or the router: a stable id, unique in the session
                id = "agent-" + cx.task.taskId + "-" + (++cx.task.assignedIds);
                used.add(id);
            }
            out.add(new ToolCall(id, c.name(), c.argumentsJson()));
        }
        return out;
    }

    /** Calls of the last assistant turn that have no saved result yet. */
    private static List<ToolCall> unanswered(Session s) {
        for (int i = s.messages.size() - 1; i >= 0; i--) {
            if (s.messages.get(i) instanceof ChatMessage.Assistant a) {
                Set<String> answered = new HashSet<>();
                for (int j = i + 1; j < s.messages.size(); j++) {
                    if (s.messages.get(j) instanceof ChatMessage.ToolResult r) {
                        answered.add(r.callId());
                    }
                }
                return a.toolCalls().stream().filter(c -> !answered.contains(c.id())).toList();
            }
            if (s.messages.get(i) instanceof ChatMessage.User) {
                return List.of();
            }
        }
        return List.of();
    }

    /** Runs the calls in order; false when a question now waits for the user. */
    private boolean executeCalls(Context cx, List<ToolCall> calls) throws InterruptedException {
        for (ToolCall call : calls) {
            checkStop(cx);
            Optional<String> problem = ToolCallValidator.problem(call, cx.byName);
            if (problem.isPresent()) {
                addResult(cx, call, AgentTools.INVALID, problem.get(), true);
                continue;
            }
            switch (call.name()) {
                case AgentTools.QUESTION -> {
                    String question = AgentTools.argument(call.argumentsJson(), "question");
                    cx.task.state = State.INPUT_REQUIRED;
                    cx.task.pendingQuestionCallId = call.id();
                    save(cx);
                    Map<String, Object> q = AgentTools.parse(call.argumentsJson());
                    publishFinal(cx, TaskState.INPUT_REQUIRED, question, Map.of("question", q, "step", cx.task.steps));
                    return false;
                }
                case AgentTools.TASK -> {
                    LoopAccess.SubAgentResult r = subAgent(cx, call.id(),
                            AgentTools.argument(call.argumentsJson(), "prompt"));
                    addResult(cx, call, call.name(), r.completed() ? r.text() : "Sub-agent did not complete: " + r.text(),
                            false);
                }
                default -> {
                    LoopTool loopTool = loopTools.get(call.name());
                    if (loopTool != null) {
                        LoopTool.Result r = loopTool.run(call, new Access(cx));
                        addResult(cx, call, call.name(), r.content(), r.error());
                    } else if (AgentTools.isLocal(call.name())) {
                        AgentTools.Result r = localTools.run(call.name(), call.argumentsJson(), cx.session);
                        addResult(cx, call, call.name(), r.content(), r.error());
                    } else {
                        runRemote(cx, call);
                    }
                }
            }
        }
        return true;
    }

    private void runRemote(Context cx, ToolCall call) throws InterruptedException {
        publishStatus(cx, TaskState.WORKING, null, Map.of("step", cx.task.steps, "tool", call.name(), "callId", call.id()));
        ToolExecutor.Outcome out = executeTool(cx, call.id(), call.name(), call.argumentsJson());
        String content = out.ok() ? filterOutput(cx, call, out.output())
                : "Error: " + out.error() + (out.output() == null || out.output().isBlank() ? "" : "\n" + out.output());
        addRemoteResult(cx, call, content, !out.ok());
    }

    /** Loop tools may replace a workspace-tool output before the model reads it (rlm's oversized-output routing). */
    private String filterOutput(Context cx, ToolCall call, String output) throws InterruptedException {
        for (LoopTool t : loopTools.values()) {
            output = t.filterToolOutput(call.name(), call.argumentsJson(), output, new Access(cx));
        }
        return output;
    }

    /** One tools-service call in the run's workspace; a transport failure becomes a failed outcome the model reads. */
    private ToolExecutor.Outcome executeTool(Context cx, String callId, String name, String argumentsJson)
            throws InterruptedException {
        String wireId = wireCallId(cx.callPrefix + callId);
        ToolExecutor.Outcome out;
        try {
            out = Blocking.call(() -> STREAMED.contains(name)
                    ? tools.execute(cx.workspaceId, wireId, name, argumentsJson, settings.toolTimeout(),
                            new LiveOutput(cx, name, callId))
                    : tools.execute(cx.workspaceId, wireId, name, argumentsJson, settings.toolTimeout()),
                    RuntimeException.class);
        } catch (RuntimeException e) {
            checkStop(cx);
            // tools-service itself failed (not the tool): the model is told, the loop goes on
            out = new ToolExecutor.Outcome(false, "", "tools-service call failed: " + e.getMessage(), false, "");
        }
        if (out.ok() && MUTATING.contains(name)) {
            String path = AgentTools.argument(argumentsJson, "path");
            if (!path.isBlank()) {
                cx.task.changedFiles.add(path);
            }
        }
        if (out.ok()) {
            ChangedFiles.from(out.metadataJson()).forEach(cx.task.changedFiles::add);
        }
        return out;
    }

    /**
     * Output of a running command, sent to the A2A client as partial working-state updates (at most one per
     * {@code partialEvery}, the last {@link #TAIL} characters), so a long build or test run is visible while it runs.
     */
    private final class LiveOutput implements java.util.function.Consumer<String> {
        private static final int TAIL = 4_000;
        private final Context cx;
        private final String tool;
        private final String callId;
        private final StringBuilder tail = new StringBuilder();
        private long lastPublish;

        LiveOutput(Context cx, String tool, String callId) {
            this.cx = cx;
            this.tool = tool;
            this.callId = callId;
        }

        @Override
        public void accept(String chunk) {
            tail.append(chunk);
            if (tail.length() > TAIL) {
                tail.delete(0, tail.length() - TAIL);
            }
            long now = System.nanoTime();
            if (now - lastPublish < settings.partialEvery().toNanos() || cx.run.canceled() || cx.run.abandoned()) {
                return;
            }
            lastPublish = now;
            publishStatus(cx, TaskState.WORKING, tail.toString(), Map.of("step", cx.task.steps, "tool", tool,
                    "callId", callId, "partial", true, "output", true));
        }
    }

    /** tools-service takes call ids of at most 256 characters; deep sub-agent prefixes are folded into a hash. */
    private static String wireCallId(String id) {
        if (id.length() <= 256) {
            return id;
        }
        return id.substring(0, 180) + "#" + UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void addResult(Context cx, ToolCall call, String tool, String content, boolean error) {
        cx.session.messages.add(new ChatMessage.ToolResult(call.id(), tool, content, error));
        save(cx); // agent-level tools change session state (todos, plan, sub-agents) and are not replayable by id
    }

    private void addRemoteResult(Context cx, ToolCall call, String content, boolean error) {
        cx.session.messages.add(new ChatMessage.ToolResult(call.id(), call.name(), content, error));
        // not awaited: a result lost with its worker is re-fetched under the same call id (tools-service replays
        // it), and the next awaited save (the next model reply, or the end state) fails if this one did
        saveSoon(cx);
    }

    private void saveSoon(Context cx) {
        if (cx.run.abandoned()) {
            throw new TaskRun.Stop();
        }
        cx.session.updatedAt = Instant.now();
        sessions.saveSoon(cx.session);
    }

    /**
     * A nested loop in a child session (the task tool, and loop tools such as ralph) working in the parent's
     * workspace; its final answer is the result.
     */
    private LoopAccess.SubAgentResult subAgent(Context parent, String key, String prompt) throws InterruptedException {
        String childContext = parent.session.contextId + "/task/" + key;
        String childTask = parent.task.taskId + "/" + key;
        Message msg = new Message(UUID.randomUUID().toString(), run.codetether.contracts.a2a.Role.USER,
                List.of(Part.Text.of(prompt)), childContext, childTask, null, null, null);
        TaskCommand.StartTask start = new TaskCommand.StartTask(childTask, childContext, null, msg,
                parent.task.provider, parent.task.model, parent.task.taskId, null, Map.of(), null);
        SubAgentEvents sink = new SubAgentEvents(parent.run);
        Context child = new Context(new TaskRun(start), sink, parent.workerId, parent.depth + 1, parent.workspaceId,
                parent.callPrefix + "sub:" + key + ":");
        child.run.bind(Thread.currentThread());
        try {
            execute(child);
        } catch (Ended e) {
            // the sub-agent failed and said why in its final status
        }
        TaskProgress done = child.task;
        if (done != null) {
            parent.task.inputTokens += done.inputTokens;
            parent.task.outputTokens += done.outputTokens;
            parent.task.changedFiles.addAll(done.changedFiles);
        }
        if (done == null || done.state != State.COMPLETED) {
            return new LoopAccess.SubAgentResult(false, sink.lastMessage == null ? "no answer" : sink.lastMessage);
        }
        return new LoopAccess.SubAgentResult(true, done.finalText);
    }

    /** The running task as a loop tool sees it. */
    private final class Access implements LoopAccess {
        private final Context cx;

        Access(Context cx) {
            this.cx = cx;
        }

        @Override
        public String taskId() {
            return cx.task.taskId;
        }

        @Override
        public String contextId() {
            return cx.session.contextId;
        }

        @Override
        public String workspaceId() {
            return cx.workspaceId;
        }

        @Override
        public Session session() {
            return cx.session;
        }

        @Override
        public ProviderResolver.Resolved model() {
            return cx.model;
        }

        @Override
        public AgentSettings settings() {
            return settings;
        }

        @Override
        public ModelReply chat(ModelRequest request) throws ProviderException, InterruptedException {
            AgentLoop.checkStop(cx);
            ModelReply reply = Blocking.call(() -> cx.model.chat().chat(request, d -> {}), ProviderException.class);
            cx.task.inputTokens += reply.usage().inputTokens();
            cx.task.outputTokens += reply.usage().outputTokens();
            cx.task.costUsd = cx.model.info().cost(cx.task.inputTokens, cx.task.outputTokens);
            return reply;
        }

        @Override
        public ToolExecutor.Outcome tool(String callKey, String name, String argumentsJson) throws InterruptedException {
            AgentLoop.checkStop(cx);
            return executeTool(cx, "loop:" + cx.task.taskId + ":" + callKey, name, argumentsJson);
        }

        @Override
        public SubAgentResult subAgent(String key, String prompt) throws InterruptedException {
            AgentLoop.checkStop(cx);
            return AgentLoop.this.subAgent(cx, key, prompt);
        }

        @Override
        public void progress(String text, Map<String, Object> metadata) {
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            meta.putIfAbsent("step", cx.task.steps);
            publishStatus(cx, TaskState.WORKING, text, meta);
        }

        @Override
        public void checkStop() {
            AgentLoop.checkStop(cx);
        }

        @Override
        public boolean canceled() {
            return cx.run.canceled();
        }
    }

    private void compactIfNeeded(Context cx) throws InterruptedException {
        Session s = cx.session;
        int chars = s.messages.subList(s.summarizedCount, s.messages.size()).stream().mapToInt(ChatMessage::size).sum()
                + (s.summary == null ? 0 : s.summary.length());
        int estimatedTokens = chars / 4 + 2_000; // + system prompt and tool schemas
        if (estimatedTokens < cx.model.info().contextWindow() * settings.compactAt()) {
            return;
        }
        int cut = s.messages.size() - settings.keepRecent();
        while (cut > s.summarizedCount && !(s.messages.get(cut) instanceof ChatMessage.User)
                && !(s.messages.get(cut) instanceof ChatMessage.Assistant)) {
            cut--; // never separate tool results from the call that asked for them
        }
        if (cut <= s.summarizedCount) {
            return;
        }
        StringBuilder transcript = new StringBuilder();
        if (s.summary != null) {
            transcript.append("Earlier summary:\n").append(s.summary).append("\n\n");
        }
        for (ChatMessage m : s.messages.subList(s.summarizedCount, cut)) {
            switch (m) {
                case ChatMessage.User u -> transcript.append("USER: ").append(u.text()).append('\n');
                case ChatMessage.Assistant a -> {
                    transcript.append("ASSISTANT: ").append(a.text()).append('\n');
                    a.toolCalls().forEach(c -> transcript.append("  called ").append(c.name()).append(' ')
                            .append(c.argumentsJson()).append('\n'));
                }
                case ChatMessage.ToolResult r -> transcript.append("RESULT of ").append(r.toolName()).append(": ")
                        .append(r.content(), 0, Math.min(r.content().length(), 4_000)).append('\n');
            }
        }
        ModelRequest req = new ModelRequest(cx.model.modelId(),
                "You compact a coding agent's conversation. Write a dense summary that keeps every fact needed to "
                        + "continue: the user's goal, decisions, files read or changed (with paths), commands run and "
                        + "their outcomes, open problems. No preamble.",
                List.of(new ChatMessage.User(transcript.toString())), List.of());
        ModelReply summary;
        try {
            summary = Blocking.call(() -> cx.model.chat().chat(req, d -> {}), ProviderException.class);
        } catch (ProviderException e) {
            LOG.warning("compaction failed for " + s.contextId + ", continuing uncompacted: " + e.getMessage());
            return;
        }
        cx.task.inputTokens += summary.usage().inputTokens();
        cx.task.outputTokens += summary.usage().outputTokens();
        s.summary = summary.text();
        s.summarizedCount = cut;
        save(cx);
        publishStatus(cx, TaskState.WORKING, null, Map.of("step", cx.task.steps, "compacted", cut));
    }

    private void complete(Context cx, String text) {
        cx.task.state = State.COMPLETED;
        cx.task.finalText = text;
        save(cx);
        String taskId = cx.task.taskId;
        publish(cx, new TaskEvent.ArtifactAdded(taskId, cx.session.contextId, cx.workerId,
                new Artifact("answer-" + taskId, "answer", "The agent's final answer", List.of(Part.Text.of(text)), null,
                        null), false, true, null));
        if (!cx.task.changedFiles.isEmpty()) {
            publish(cx, new TaskEvent.ArtifactAdded(taskId, cx.session.contextId, cx.workerId,
                    new Artifact("changed-files-" + taskId, "changed-files", "Files the agent changed in the workspace",
                            List.of(new Part.Data(Map.of("files", cx.task.changedFilesList()), null)), null, null),
                    false, true, null));
        }
        Message answer = Message.agentText(UUID.randomUUID().toString(), cx.run.contextId(), cx.run.taskId(), text);
        publish(cx, new TaskEvent.MessageAdded(taskId, cx.session.contextId, cx.workerId, answer, null));
        // the final status carries the same message (same id), so the task's history keeps one copy of the answer
        Map<String, Object> meta = new LinkedHashMap<>(usage(cx));
        publish(cx, new TaskEvent.StatusChanged(cx.run.taskId(), cx.run.contextId(), cx.workerId,
                new TaskStatus(TaskState.COMPLETED, answer, null), meta, null));
        finished(cx, TaskState.COMPLETED);
    }

    private void fail(Context cx, String message) {
        if (cx.task != null) {
            cx.task.state = State.FAILED;
            cx.task.error = message;
            save(cx);
        }
        publishFinal(cx, TaskState.FAILED, message, Map.of());
    }

    private void stopped(Context cx) {
        Thread.interrupted(); // the interrupt did its job; the final save and event must not see it
        if (cx.run.abandoned()) {
            return; // handed over: the next owner continues from the saved session
        }
        if (cx.task != null) {
            cx.task.state = State.CANCELED;
            closeOpenCalls(cx.session, "Canceled: the task was canceled before this call finished.");
            saveQuietly(cx);
        }
        publishFinal(cx, TaskState.CANCELED, "Task canceled: " + cx.run.cancelReason(), Map.of());
    }

    /** Gives every call of the last assistant turn that has no result an error result saying why. */
    private static void closeOpenCalls(Session session, String why) {
        for (ToolCall open : unanswered(session)) {
            session.messages.add(new ChatMessage.ToolResult(open.id(), open.name(), why, true));
        }
    }

    private void publishFinal(Context cx, TaskState state, String text, Map<String, Object> extra) {
        Map<String, Object> meta = new LinkedHashMap<>(usage(cx));
        meta.putAll(extra);
        publishStatus(cx, state, text, meta);
        finished(cx, state);
    }

    private void finished(Context cx, TaskState state) {
        if (cx.task != null && cx.depth == 0 && state != TaskState.INPUT_REQUIRED) {
            metrics.finished(state.name().toLowerCase(), String.valueOf(cx.task.provider), String.valueOf(cx.task.model),
                    cx.task.inputTokens, cx.task.outputTokens, cx.task.costUsd);
        }
    }

    private static Map<String, Object> usage(Context cx) {
        if (cx.task == null) {
            return Map.of();
        }
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("inputTokens", cx.task.inputTokens);
        usage.put("outputTokens", cx.task.outputTokens);
        usage.put("costUsd", cx.task.costUsd);
        usage.put("steps", cx.task.steps);
        if (cx.task.provider != null) {
            usage.put("provider", cx.task.provider);
        }
        if (cx.task.model != null) {
            usage.put("model", cx.task.model);
        }
        return Map.of("usage", usage);
    }

    private void publishStatus(Context cx, TaskState state, String text, Map<String, Object> metadata) {
        Message msg = text == null ? null
                : Message.agentText(UUID.randomUUID().toString(), cx.run.contextId(), cx.run.taskId(), text);
        publish(cx, new TaskEvent.StatusChanged(cx.run.taskId(), cx.run.contextId(), cx.workerId,
                new TaskStatus(state, msg, null), metadata, null));
    }

    private void publish(Context cx, TaskEvent event) {
        if (cx.run.abandoned()) {
            throw new TaskRun.Stop();
        }
        cx.events.publish(event);
    }

    private void save(Context cx) {
        if (cx.run.abandoned()) {
            throw new TaskRun.Stop();
        }
        cx.session.updatedAt = Instant.now();
        sessions.save(cx.session);
    }

    private void saveQuietly(Context cx) {
        try {
            save(cx);
        } catch (RuntimeException e) {
            LOG.warning("could not save canceled state of " + cx.run.taskId() + ": " + e.getMessage());
        }
    }

    private static void checkStop(Context cx) {
        if (cx.run.canceled() || cx.run.abandoned() || Thread.currentThread().isInterrupted()) {
            throw new TaskRun.Stop();
        }
    }

    /** Unwinds a run that already published its end state. */
    private static final class Ended extends RuntimeException {
        Ended() {
            super(null, null, false, false);
        }
    }

    /** Events of a sub-agent stay inside the parent: only its final message is kept for the parent's result. */
    private static final class SubAgentEvents implements EventPublisher {
        private final TaskRun parent;
        volatile String lastMessage;

        SubAgentEvents(TaskRun parent) {
            this.parent = parent;
        }

        @Override
        public void publish(TaskEvent event) {
            if (parent.canceled() || parent.abandoned()) {
                throw new TaskRun.Stop();
            }
            if (event instanceof TaskEvent.StatusChanged s && s.status().message() != null) {
                lastMessage = s.status().message().text();
            }
        }
    }
}
