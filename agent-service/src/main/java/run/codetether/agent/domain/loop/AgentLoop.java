package run.codetether.agent.domain.loop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.dispatch.AgentTools;
import run.codetether.agent.domain.dispatch.ToolSource;
import run.codetether.agent.domain.dispatch.ToolSourceException;
import run.codetether.agent.domain.dispatch.ApprovalGate;
import run.codetether.agent.domain.dispatch.WorkspaceCall;
import run.codetether.agent.domain.dispatch.WorkspaceToolSource;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Progress;

/**
 * The agent loop: model turn, tool calls, results, repeat, until the model answers without calls. Each step is its
 * own class: {@link CommandIntake} (the command into the session), {@link TurnRunner} (model call and streaming),
 * {@link RouterFallback}, {@link Compactor}, {@link ToolCallRunner} (check, gate, one dispatch per tool kind),
 * {@link SubAgentRunner}, {@link RunLedger} (usage and save policy), {@link WorkspaceSetup} (the workspace before the
 * first model call, or on the first call that runs in it), {@link ChangesReport} (its change at the end) and
 * {@link StatusReporter} (events). A run that dies anywhere continues on another worker from the last save; a call
 * whose result was not saved is sent again under the same call id, which tools-service answers from its idempotency
 * store instead of applying it twice.
 * Thread-safe: one instance serves every run; each run owns its session while it runs.
 */
public final class AgentLoop {
    private static final Logger LOG = Logger.getLogger(AgentLoop.class);

    private final LoopParts parts;
    private final ProviderResolver providers;
    /** Where a task's events go (tasks.events); a sub-agent's go to its parent instead. */
    private final EventPublisher events;
    private final CommandIntake intake;
    private final SkillTasks skills;
    private final ToolCatalogs catalogs;
    private final TurnRunner turns;
    private final RouterFallback router;
    private final Compactor compactor;
    private final ToolCallRunner calls;
    private final WorkspaceSetup workspaceSetup;

    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, CallRouter router,
            EventPublisher events, SessionStore sessions, TaskMetrics metrics) {
        this(settings, providers, tools, router, events, sessions, metrics, List.of());
    }

    /** A loop without tools-service's workspace RPCs: tasks run in plain directories and report no changes. */
    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, CallRouter router,
            EventPublisher events, SessionStore sessions, TaskMetrics metrics, List<LoopTool> loopTools) {
        this(settings, providers, tools, Workspaces.NONE, WorkspaceSettings.defaults(), router, events, sessions,
                metrics, loopTools, List.of());
    }

    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, Workspaces workspaces,
            WorkspaceSettings workspaceSettings, CallRouter router, EventPublisher events, SessionStore sessions,
            TaskMetrics metrics, List<LoopTool> loopTools) {
        this(settings, providers, tools, workspaces, workspaceSettings, router, events, sessions, metrics, loopTools,
                List.of());
    }

    /**
     * @param moreSources further kinds of tools (MCP servers' tools), offered after tools-service's and the agent's
     *     own (a name offered earlier wins)
     */
    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, Workspaces workspaces,
            WorkspaceSettings workspaceSettings, CallRouter router, EventPublisher events, SessionStore sessions,
            TaskMetrics metrics, List<LoopTool> loopTools, List<ToolSource> moreSources) {
        this(settings, providers, tools, workspaces, workspaceSettings, router, events, sessions, metrics, loopTools,
                moreSources, TenantBudgets.UNLIMITED);
    }

    /** @param budgets the tenants' daily budgets, checked before each model call */
    public AgentLoop(AgentSettings settings, ProviderResolver providers, ToolExecutor tools, Workspaces workspaces,
            WorkspaceSettings workspaceSettings, CallRouter router, EventPublisher events, SessionStore sessions,
            TaskMetrics metrics, List<LoopTool> loopTools, List<ToolSource> moreSources, TenantBudgets budgets) {
        this.providers = providers;
        this.events = events;
        Map<String, LoopTool> byName = new LinkedHashMap<>();
        for (LoopTool t : loopTools) {
            if (byName.putIfAbsent(t.spec().name(), t) != null || AgentTools.isAgentTool(t.spec().name())) {
                throw new IllegalArgumentException("two agent-level tools are named " + t.spec().name());
            }
        }
        RunLedger ledger = new RunLedger(sessions, budgets);
        StatusReporter reporter = new StatusReporter(ledger, metrics, new ChangesReport(workspaces, workspaceSettings));
        WorkspaceCall workspace = new WorkspaceCall(tools);
        this.workspaceSetup = new WorkspaceSetup(workspaces, reporter);
        this.parts = new LoopParts(settings, ledger, reporter, workspace, workspaces, workspaceSettings,
                List.copyOf(byName.values()), new SubAgentRunner(this::execute), workspaceSetup,
                SharedScheduler.INSTANCE);
        this.skills = new SkillTasks(Collections.unmodifiableMap(byName), reporter);
        this.intake = new CommandIntake(ledger, reporter, skills);
        List<ToolSource> sources = new ArrayList<>(List.of(new WorkspaceToolSource(tools, workspace),
                new AgentToolSource(new AgentTools(settings.skillsDir()), byName)));
        sources.addAll(moreSources);
        this.catalogs = new ToolCatalogs(sources);
        this.turns = new TurnRunner(ledger, reporter, metrics);
        this.router = new RouterFallback(router);
        this.compactor = new Compactor(settings, ledger);
        this.calls = new ToolCallRunner(new ApprovalGate(), ledger, reporter);
    }

    /** Runs one command to its end (completed, failed, canceled, input-required) or until abandoned. */
    public void run(TaskRun run) {
        run.bind(Thread.currentThread());
        RunContext cx = RunContext.of(parts, run, events);
        try {
            try {
                execute(cx);
            } catch (Ended e) {
                // the task reached its end state and published it
            } catch (TaskRun.Stop | InterruptedException e) {
                parts.reporter().stopped(cx);
            } catch (RuntimeException e) {
                if (run.isEnding()) {
                    throw e; // its end is saved: publishing it failed, which a failure event would not mend
                } else if (run.canceled() || run.abandoned()) {
                    parts.reporter().stopped(cx);
                } else {
                    LOG.warnf(e, "task %s failed unexpectedly", run.taskId());
                    parts.reporter().fail(cx, "internal error in agent-service: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                }
            }
        } catch (TaskRun.Stop e) {
            // handed over while it reported its end, before that end was saved: the next owner runs it
        } catch (RuntimeException e) {
            // Neither the end nor a failure reached Kafka (an outage longer than the producers wait): the command
            // runs again (the intake's retry), and that run publishes the end the session holds or works on from
            // the last save. Never a task left WORKING because its events were lost (issue 19).
            if (!run.abandoned()) {
                LOG.warnf("task %s: its end was not published (%s); its command runs again", run.taskId(),
                        e.getMessage());
                run.unreported(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        } finally {
            cx.answer.end(false); // a held chunk's timer publishes nothing once the run returned
            Thread.interrupted(); // clear a late interrupt before the thread returns to its pool
        }
    }

    /** One run of a command: the task's or a sub-agent's. */
    private void execute(RunContext cx) throws InterruptedException {
        long started = System.nanoTime();
        if (!intake.accept(cx)) {
            return;
        }
        long accepted = System.nanoTime();
        cx.checkStop();
        try {
            cx.model = providers.resolve(cx.task.provider, cx.task.model);
        } catch (ProviderException e) {
            parts.reporter().fail(cx, e.getMessage());
            return;
        }
        cx.task.provider = cx.model.provider();
        cx.task.model = cx.model.modelId();
        try {
            cx.catalog = catalogs.forRun(cx);
        } catch (ToolSourceException e) {
            parts.reporter().fail(cx, e.getMessage());
            return;
        }
        if (LOG.isDebugEnabled()) {
            // issue 19: where a run's start goes before its WORKING event (the fairness bound's intake part)
            LOG.debugf("task %s run start: command into the session %d ms, model and tools %d ms", cx.run.taskId(),
                    (accepted - started) / 1_000_000, (System.nanoTime() - accepted) / 1_000_000);
        }
        parts.reporter().status(cx, TaskState.WORKING, null,
                Progress.step(cx.task.steps).withModel(cx.model.provider(), cx.model.modelId()), Map.of());
        if (!workspaceSetup.prepare(cx)) {
            return;
        }
        if (!skills.runDirect(cx)) {
            loop(cx);
        }
    }

    private void loop(RunContext cx) throws InterruptedException {
        AgentSettings settings = parts.settings();
        Instant deadline = Instant.now().plus(settings.wallClock());
        while (true) {
            cx.checkStop();
            List<ToolCall> open = OpenCalls.of(cx.session);
            if (!open.isEmpty()) {
                if (!calls.runAll(cx, open)) {
                    return; // waiting for the user
                }
                continue;
            }
            if (skills.answered(cx)) {
                return;
            }
            if (cx.task.steps >= settings.maxSteps()) {
                parts.reporter().fail(cx, "step limit reached: " + settings.maxSteps() + " model calls without a "
                        + "final answer (codetether.agent.max-steps)");
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                parts.reporter().fail(cx, "wall-clock budget of " + settings.wallClock().toSeconds() + " s exceeded "
                        + "(codetether.agent.task-timeout)");
                return;
            }
            compactor.compactIfNeeded(cx);
            ModelReply reply = turns.next(cx);
            List<ToolCall> turnCalls = reply.toolCalls().isEmpty() ? router.calls(cx, reply.text()) : reply.toolCalls();
            cx.session.messages.add(new ChatMessage.Assistant(reply.text(), turnCalls));
            if (!turnCalls.isEmpty()) {
                turns.report(cx); // an answer's turn is reported by the final status instead
            }
            if (turnCalls.isEmpty() && parts.reporter().endsAtOnce(cx)) {
                // the end state's awaited save follows at once and carries this turn: one save, not two
                parts.reporter().complete(cx, reply.text());
                return;
            }
            parts.ledger().saveTurn(cx, turnCalls);
            if (turnCalls.isEmpty()) {
                parts.reporter().complete(cx, reply.text());
                return;
            }
        }
    }
}
