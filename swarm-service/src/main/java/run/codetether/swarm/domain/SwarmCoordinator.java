package run.codetether.swarm.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmState;
import run.codetether.platform.budget.TenantBudgets;

/**
 * Coordinates the swarms this instance owns: plans them, dispatches ready subtasks within each swarm's concurrency
 * limit and the shared per-provider rate limit, answers cached subtasks without running them, validates results
 * (spending the swarm's retry budget on failures), and aggregates the final answer onto the swarm's own task.
 * Every change is saved through {@link SwarmOutbox#save}, so another instance can {@link #resume} a swarm.
 *
 * <p>Thread-safe: state changes happen under this object's lock; inputs arrive from Kafka consumer threads and a
 * timer. What a change writes is queued under the lock and sent after it ({@link SendQueue}), so a send that waits for
 * the broker holds up no other swarm's events. Model calls (planning, a model check of a result, the written answer) never run under the lock nor on the
 * caller's thread: the lock is taken to reserve (the swarm is "planning", the attempt is "checking", the swarm is
 * "aggregating"), the call runs on the {@code modelCalls} executor, and the lock is taken again to commit the
 * outcome, which is dropped if the swarm was canceled or handed to another instance meanwhile. So one slow model
 * never holds up the events of every other swarm.
 *
 * <p>The coordinator's own calls are its tenant's spend, checked and charged by {@link CoordinatorBudget}; the
 * states it saves are built by {@link SwarmStates}; subtasks are dispatched by {@link SwarmScheduler}, and their
 * attempts' reports collected and checked by {@link AttemptResults}.
 */
public final class SwarmCoordinator {
    private final String instanceId;
    private final SwarmPlanner planner;
    private final ResultCache cache;
    /** Writes are queued under the lock and sent after it ({@link SendQueue}). */
    private final SendQueue outbox;
    private final Clock clock;
    private final AnswerAggregator aggregator;
    private final Executor modelCalls;
    private final SwarmReports reports;
    private final SwarmScheduler scheduler;
    private final CoordinatorBudget budget;
    private final SwarmStates states;

    private final Map<String, SwarmState> active = new LinkedHashMap<>();
    /** Swarms whose plan is being made, by id. */
    private final Map<String, SwarmCommand.StartSwarm> planning = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    /** Swarms whose subtasks are all done and whose answer is being written. */
    private final Set<String> aggregating = new HashSet<>();

    private final AttemptResults results;

    /** Model calls run inline on the caller's thread (tests). */
    public SwarmCoordinator(String instanceId, Decomposer decomposer, ResultValidator validator, ResultCache cache,
            ProviderRateLimiter limiter, SwarmOutbox outbox, SwarmSettings settings, Clock clock) {
        this(instanceId, decomposer, validator, cache, limiter, outbox, settings, clock, AnswerAggregator.JOIN,
                Runnable::run);
    }

    /**
     * @param aggregator writes the final answer
     * @param modelCalls runs planning, model checks and the aggregator, outside the coordinator's lock (one virtual
     *     thread per call in the service); {@code Runnable::run} runs them inline
     */
    public SwarmCoordinator(String instanceId, Decomposer decomposer, ResultValidator validator, ResultCache cache,
            ProviderRateLimiter limiter, SwarmOutbox outbox, SwarmSettings settings, Clock clock,
            AnswerAggregator aggregator, Executor modelCalls) {
        this(instanceId, decomposer, validator, cache, limiter, outbox, settings, clock, aggregator, modelCalls,
                TenantBudgets.UNLIMITED);
    }

    /**
     * @param budgets checked before each of the coordinator's own model calls, and charged with each answered one
     */
    public SwarmCoordinator(String instanceId, Decomposer decomposer, ResultValidator validator, ResultCache cache,
            ProviderRateLimiter limiter, SwarmOutbox outbox, SwarmSettings settings, Clock clock,
            AnswerAggregator aggregator, Executor modelCalls, TenantBudgets budgets) {
        this.budget = new CoordinatorBudget(budgets);
        this.aggregator = aggregator;
        this.outbox = new SendQueue(outbox, this, settings.maxQueuedWrites());
        this.modelCalls = this.outbox.sendingAfter(modelCalls);
        this.instanceId = instanceId;
        this.planner = new SwarmPlanner(decomposer, budget, settings);
        this.results = new AttemptResults(validator, budget, this.modelCalls, this, new AttemptResults.Verdicts() {
            @Override
            public void apply(AttemptResults.Attempt owner, String taskId, TaskEvent.StatusChanged end,
                    String result, ResultValidator.Verdict verdict, Usage checking) {
                applyVerdict(owner, taskId, end, result, verdict, checking);
            }

            @Override
            public void refused(String swarmId, String reason) {
                SwarmCoordinator.this.refused(swarmId, reason);
            }
        });
        this.cache = cache;
        this.clock = clock;
        this.reports = new SwarmReports(instanceId, this.outbox, clock);
        this.scheduler = new SwarmScheduler(cache, limiter, this.outbox, settings, clock, reports);
        this.states = new SwarmStates(instanceId, clock, settings.retryBudget());
    }

    /**
     * Starts a swarm; a repeated delivery of a known swarm is ignored. Returns once the swarm is reserved and saved
     * as planning (a successor re-plans it); the plan is made on the model-call executor.
     */
    public void start(SwarmCommand.StartSwarm cmd) {
        synchronized (this) {
            String id = cmd.swarmId();
            if (active.containsKey(id) || finished.contains(id) || planning.containsKey(id)) {
                return;
            }
            planning.put(id, cmd);
            outbox.save(states.planning(cmd));
            reports.progress(cmd, null, "planning: decomposing the goal (strategy " + cmd.strategy().wire() + ")",
                    Map.of(MetadataKeys.PHASE, "planning"));
        }
        outbox.sendQueued();
        modelCalls.execute(() -> planned(cmd, planner.plan(cmd)));
    }

    private synchronized void planned(SwarmCommand.StartSwarm cmd, SwarmPlanner.Plan plan) {
        if (planning.remove(cmd.swarmId()) == null) {
            return; // canceled or handed to another instance while planning
        }
        if (plan.failure() != null) {
            String error = plan.error();
            SwarmState failed = states.planFailed(cmd, error, plan.spent());
            reports.terminal(cmd, TaskState.FAILED, error,
                    SwarmReports.withUsage(Map.of(MetadataKeys.PHASE, "failed"), failed));
            outbox.save(failed);
            finished.add(cmd.swarmId());
            return;
        }
        SwarmState state = states.running(cmd, plan.subtasks(), plan.stages(), plan.spent());
        active.put(cmd.swarmId(), state);
        int subtaskCount = state.subtasks().size();
        int stageCount = plan.stages().values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        reports.progress(cmd, state, "planned " + subtaskCount + " subtasks in " + stageCount + " stages",
                Map.of(MetadataKeys.PHASE, "running", MetadataKeys.SUBTASKS, subtaskCount, MetadataKeys.STAGES,
                        stageCount));
        advance(cmd.swarmId(), true);
    }

    /**
     * Takes over a swarm from the saved state of a previous owner.
     *
     * @return the earliest dispatch time of a subtask still running: events from then on must be replayed
     */
    public Optional<Instant> resume(SwarmState saved) {
        Optional<Instant> replayFrom = resumeOwned(saved);
        outbox.sendQueued();
        return replayFrom;
    }

    private Optional<Instant> resumeOwned(SwarmState saved) {
        synchronized (this) {
            String id = saved.swarmId();
            if (saved.phase().isFinished()) {
                finished.add(id);
                return Optional.empty();
            }
            if (active.containsKey(id) || finished.contains(id) || planning.containsKey(id)) {
                return Optional.empty();
            }
            if (saved.phase() != SwarmPhase.PLANNING && !saved.subtasks().isEmpty()) {
                return Optional.ofNullable(takeOver(saved));
            }
        }
        start(saved.command()); // the previous owner died while planning: plan again
        return Optional.empty();
    }

    private Instant takeOver(SwarmState saved) {
        String id = saved.swarmId();
        SwarmState mine = states.takenOver(saved);
        active.put(id, mine);
        Instant replayFrom = null;
        for (SubtaskState s : mine.subtasks()) {
            if (s.status() == SubtaskStatus.DISPATCHED && s.taskId() != null) {
                results.track(s.taskId(), id, s.id());
                if (s.dispatchedAt() != null && (replayFrom == null || s.dispatchedAt().isBefore(replayFrom))) {
                    replayFrom = s.dispatchedAt();
                }
            }
        }
        reports.progress(mine.command(), mine, "coordinator " + instanceId + " took over the swarm",
                Map.of(MetadataKeys.PHASE, "running", MetadataKeys.OWNER, instanceId));
        advance(id, true);
        return replayFrom;
    }

    /** Forgets swarms whose partition went to another instance (no events, no state written). */
    public synchronized void release(Set<String> swarmIds) {
        for (String id : swarmIds) {
            active.remove(id);
            planning.remove(id);
            aggregating.remove(id);
        }
        results.release(swarmIds);
    }

    /** A saved state seen on {@code swarm.state}: fills the result cache from its completed subtasks. */
    public void learn(SwarmState state) {
        for (SubtaskState s : state.subtasks()) {
            if (s.status() == SubtaskStatus.COMPLETED && s.contentHash() != null && s.result() != null) {
                cache.put(s.contentHash(), s.result());
            }
        }
    }

    public void cancel(SwarmCommand.CancelSwarm cmd) {
        synchronized (this) {
            end(cmd.swarmId(), TaskState.CANCELED, "swarm canceled" + (cmd.reason() == null ? "" : ": "
                    + cmd.reason()));
        }
        outbox.sendQueued();
    }

    /**
     * Ends a swarm before its answer: canceled by a client, or FAILED because its tenant's budget refused the
     * coordinator's next model call; its running sub-agents are canceled with the reason.
     */
    private void end(String swarmId, TaskState how, String reason) {
        SwarmCommand.StartSwarm planned = planning.remove(swarmId);
        SwarmState state = active.remove(swarmId);
        aggregating.remove(swarmId);
        if (state == null && planned == null) {
            return;
        }
        SwarmCommand.StartSwarm start = state != null ? state.command() : planned;
        for (SubtaskState s : state == null ? List.<SubtaskState>of() : state.subtasks()) {
            if (s.status() == SubtaskStatus.DISPATCHED) {
                String why = how == TaskState.CANCELED ? "swarm canceled" : reason;
                outbox.cancel(new TaskControl.CancelTask(s.taskId(), s.taskId(), why, now()));
                results.forget(s.taskId());
            }
        }
        SwarmState ended = states.ended(start, state, how, reason);
        // what ran before the end was paid for
        reports.terminal(start, how, reason, SwarmReports.withUsage(
                Map.of(MetadataKeys.PHASE, ended.phase().name().toLowerCase()), ended));
        outbox.save(ended);
        finished.add(swarmId);
    }

    /** The coordinator's next model call of this swarm was refused by its tenant's budget. */
    private synchronized void refused(String swarmId, String reason) {
        end(swarmId, TaskState.FAILED, reason);
    }

    /** A report from a worker; only the current attempt of a subtask of an owned swarm counts. */
    public void onTaskEvent(TaskEvent event) {
        synchronized (this) {
            AttemptResults.Attempt owner = results.collect(event);
            if (owner == null) {
                return;
            }
            if (event instanceof TaskEvent.StatusChanged s && s.isFinal()) {
                results.finish(owner, s, active.get(owner.swarmId()));
            } else {
                reports.attempt(active.get(owner.swarmId()), owner.subtaskId(), event);
            }
        }
        outbox.sendQueued();
    }

    /**
     * Dispatches what the rate limiter held back.
     *
     * @return nanoseconds until a held-back dispatch may go, or -1 when nothing waits
     */
    public long pump() {
        long wait = -1;
        synchronized (this) {
            for (String id : List.copyOf(active.keySet())) {
                long w = advance(id, false);
                if (w >= 0 && (wait < 0 || w < wait)) {
                    wait = w;
                }
            }
        }
        outbox.sendQueued();
        return wait;
    }

    /** Sends every queued write, waiting for a thread already sending: before a commit or a hand-over. */
    public void flush() {
        outbox.flush();
    }


    /** The swarms this instance owns, those being planned included. */
    public synchronized Set<String> activeSwarmIds() {
        Set<String> ids = new HashSet<>(active.keySet());
        ids.addAll(planning.keySet());
        return Set.copyOf(ids);
    }

    public synchronized Optional<SwarmState> state(String swarmId) {
        return Optional.ofNullable(active.get(swarmId));
    }

    /** @param checking what the model check of this result spent, or null */
    private void applyVerdict(AttemptResults.Attempt owner, String taskId, TaskEvent.StatusChanged s, String result,
            ResultValidator.Verdict verdict, Usage checking) {
        SwarmState state = active.get(owner.swarmId());
        SubtaskState sub = state == null ? null : SwarmStates.find(state, owner.subtaskId());
        if (sub == null || !taskId.equals(sub.taskId()) || sub.status() != SubtaskStatus.DISPATCHED) {
            return; // canceled, handed over, or a newer attempt meanwhile
        }
        AttemptOutcome outcome = AttemptOutcome.of(state.coordinatorSpent(checking), sub, verdict, result, s);
        if (verdict.valid()) {
            cache.put(sub.contentHash(), result);
        }
        active.put(owner.swarmId(), outcome.state());
        reports.progress(state.command(), outcome.state(), outcome.note(), outcome.details());
        advance(owner.swarmId(), true);
    }

    /**
     * Moves a swarm forward ({@link SwarmScheduler#advance}), saves what changed, and finishes the swarm when
     * nothing is left.
     *
     * @return nanoseconds until a rate token frees a held-back subtask, or -1
     */
    private long advance(String swarmId, boolean changed) {
        SwarmState state = active.get(swarmId);
        if (state == null) {
            return -1;
        }
        SwarmScheduler.Step step = scheduler.advance(state, (taskId, subtaskId) -> results.track(taskId, swarmId,
                subtaskId));
        state = step.state();
        if (changed || step.changed()) {
            state = states.stepped(state);
            outbox.save(state);
        }
        active.put(swarmId, state);
        if (state.subtasks().stream().allMatch(s -> s.status().isDone())) {
            finish(state);
            return -1;
        }
        return step.waitNanos();
    }

    /**
     * Every subtask is done: the answer is written off the lock. Until it is saved the swarm stays active and its
     * saved state says running, so a successor that takes over in between aggregates again.
     */
    private void finish(SwarmState state) {
        var cmd = state.command();
        if (!aggregating.add(cmd.swarmId())) {
            return;
        }
        reports.progress(cmd, state, "all subtasks done; writing the answer",
                Map.of(MetadataKeys.PHASE, "aggregating"));
        modelCalls.execute(() -> {
            // the plain join makes no model call, so no budget refuses it
            CallMeter.Metered<AnswerAggregator.Aggregate> answer = budget.call(cmd, aggregator != AnswerAggregator.JOIN,
                    state.coordinatorUsage() != null, () -> AnswerAggregator.orJoin(aggregator, cmd, state.subtasks()));
            if (answer.failure() instanceof CoordinatorBudget.Refusal r) {
                refused(cmd.swarmId(), r.getMessage());
                return;
            }
            if (answer.failure() != null) {
                throw answer.failure(); // orJoin falls back to the join itself; this is a defect
            }
            finished(state.coordinatorSpent(answer.usage()), answer.value());
        });
    }

    private synchronized void finished(SwarmState state, AnswerAggregator.Aggregate result) {
        var cmd = state.command();
        if (!aggregating.remove(cmd.swarmId()) || !active.containsKey(cmd.swarmId())) {
            return; // canceled or handed to another replica meanwhile
        }
        outbox.save(states.answered(state, reports.finished(state, result), result.answer()));
        active.remove(cmd.swarmId());
        finished.add(cmd.swarmId());
    }

    private Instant now() {
        return clock.instant();
    }
}
