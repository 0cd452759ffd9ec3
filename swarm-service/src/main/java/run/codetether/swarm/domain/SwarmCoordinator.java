package run.codetether.swarm.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmState;

/**
 * Coordinates the swarms this instance owns: plans them, dispatches ready subtasks within each swarm's concurrency
 * limit and the shared per-provider rate limit, answers cached subtasks without running them, validates results
 * (spending the swarm's retry budget on failures), and aggregates the final answer onto the swarm's own task.
 * Every change is saved through {@link SwarmOutbox#save}, so another instance can {@link #resume} a swarm.
 * Thread-safe: every entry point is synchronized; inputs arrive from Kafka consumer threads and a timer.
 */
public final class SwarmCoordinator {
    private final String instanceId;
    private final Decomposer decomposer;
    private final ResultValidator validator;
    private final ResultCache cache;
    private final ProviderRateLimiter limiter;
    private final SwarmOutbox outbox;
    private final SwarmSettings settings;
    private final Clock clock;
    private final AnswerAggregator aggregator;
    private final Executor aggregation;

    private final Map<String, SwarmState> active = new LinkedHashMap<>();
    /** Subtask task id of the current attempt -> {swarmId, subtaskId}. */
    private final Map<String, String[]> attempts = new HashMap<>();
    private final Map<String, Collected> collected = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    /** Swarms whose subtasks are all done and whose answer is being written. */
    private final Set<String> aggregating = new HashSet<>();

    public SwarmCoordinator(String instanceId, Decomposer decomposer, ResultValidator validator, ResultCache cache,
            ProviderRateLimiter limiter, SwarmOutbox outbox, SwarmSettings settings, Clock clock) {
        this(instanceId, decomposer, validator, cache, limiter, outbox, settings, clock, AnswerAggregator.JOIN,
                Runnable::run);
    }

    /**
     * @param aggregator writes the final answer
     * @param aggregation runs the aggregator outside the coordinator's lock (a model call must not hold up every
     *     other swarm); {@code Runnable::run} runs it inline
     */
    public SwarmCoordinator(String instanceId, Decomposer decomposer, ResultValidator validator, ResultCache cache,
            ProviderRateLimiter limiter, SwarmOutbox outbox, SwarmSettings settings, Clock clock,
            AnswerAggregator aggregator, Executor aggregation) {
        this.aggregator = aggregator;
        this.aggregation = aggregation;
        this.instanceId = instanceId;
        this.decomposer = decomposer;
        this.validator = validator;
        this.cache = cache;
        this.limiter = limiter;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts a swarm; a repeated delivery of a known swarm is ignored. */
    public synchronized void start(SwarmCommand.StartSwarm cmd) {
        if (active.containsKey(cmd.swarmId()) || finished.contains(cmd.swarmId())) {
            return;
        }
        progress(cmd, "planning: decomposing the goal (strategy " + cmd.strategy().wire() + ")", Map.of("phase", "planning"));
        int max = cmd.maxSubtasks() > 0 ? Math.min(cmd.maxSubtasks(), settings.maxSubtasks()) : settings.maxSubtasks();
        List<SubtaskPlan> plan;
        Map<String, Integer> stages;
        try {
            plan = decomposer.decompose(cmd, max);
            stages = Dag.stages(plan);
        } catch (RuntimeException e) {
            String error = "swarm planning failed: " + e.getMessage();
            SwarmState failed = new SwarmState(cmd, SwarmPhase.FAILED, List.of(), 0, null, error, instanceId, 1, now());
            terminal(cmd, TaskState.FAILED, error, Map.of("phase", "failed"));
            outbox.save(failed);
            finished.add(cmd.swarmId());
            return;
        }
        List<SubtaskState> subtasks = plan.stream()
                .map(p -> new SubtaskState(p.id(), p.title(), p.instruction(), stages.get(p.id()), p.dependsOn(), null,
                        SubtaskStatus.PENDING, null, 0, null, false, null))
                .toList();
        SwarmState state = new SwarmState(cmd, SwarmPhase.RUNNING, subtasks, settings.retryBudget(), null, null,
                instanceId, 1, now());
        active.put(cmd.swarmId(), state);
        int stageCount = stages.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        progress(cmd, "planned " + subtasks.size() + " subtasks in " + stageCount + " stages",
                Map.of("phase", "running", "subtasks", subtasks.size(), "stages", stageCount));
        advance(cmd.swarmId(), true);
    }

    /**
     * Takes over a swarm from the saved state of a previous owner.
     *
     * @return the earliest dispatch time of a subtask still running: events from then on must be replayed
     */
    public synchronized Optional<Instant> resume(SwarmState saved) {
        String id = saved.swarmId();
        if (saved.phase().isFinished()) {
            finished.add(id);
            return Optional.empty();
        }
        if (active.containsKey(id) || finished.contains(id)) {
            return Optional.empty();
        }
        if (saved.phase() == SwarmPhase.PLANNING || saved.subtasks().isEmpty()) {
            start(saved.command());
            return Optional.empty();
        }
        SwarmState mine = new SwarmState(saved.command(), saved.phase(), saved.subtasks(), saved.retriesLeft(),
                saved.answer(), saved.error(), instanceId, saved.version(), now());
        active.put(id, mine);
        Instant replayFrom = null;
        for (SubtaskState s : mine.subtasks()) {
            if (s.status() == SubtaskStatus.DISPATCHED && s.taskId() != null) {
                attempts.put(s.taskId(), new String[] {id, s.id()});
                if (s.dispatchedAt() != null && (replayFrom == null || s.dispatchedAt().isBefore(replayFrom))) {
                    replayFrom = s.dispatchedAt();
                }
            }
        }
        progress(mine.command(), "coordinator " + instanceId + " took over the swarm", Map.of("phase", "running",
                "owner", instanceId));
        advance(id, true);
        return Optional.ofNullable(replayFrom);
    }

    /** Forgets swarms whose partition went to another instance (no events, no state written). */
    public synchronized void release(Set<String> swarmIds) {
        for (String id : swarmIds) {
            active.remove(id);
            aggregating.remove(id);
        }
        attempts.entrySet().removeIf(e -> swarmIds.contains(e.getValue()[0]));
    }

    /** A saved state seen on {@code swarm.state}: fills the result cache from its completed subtasks. */
    public void learn(SwarmState state) {
        for (SubtaskState s : state.subtasks()) {
            if (s.status() == SubtaskStatus.COMPLETED && s.contentHash() != null && s.result() != null) {
                cache.put(s.contentHash(), s.result());
            }
        }
    }

    public synchronized void cancel(SwarmCommand.CancelSwarm cmd) {
        SwarmState state = active.remove(cmd.swarmId());
        aggregating.remove(cmd.swarmId());
        if (state == null) {
            return;
        }
        List<SubtaskState> subtasks = new ArrayList<>();
        for (SubtaskState s : state.subtasks()) {
            if (s.status() == SubtaskStatus.DISPATCHED) {
                outbox.cancel(new TaskControl.CancelTask(s.taskId(), s.taskId(), "swarm canceled", now()));
                attempts.remove(s.taskId());
            }
            subtasks.add(s.status().isDone() ? s : s.withStatus(SubtaskStatus.SKIPPED, "swarm canceled"));
        }
        String reason = "swarm canceled" + (cmd.reason() == null ? "" : ": " + cmd.reason());
        terminal(state.command(), TaskState.CANCELED, reason, Map.of("phase", "canceled"));
        outbox.save(new SwarmState(state.command(), SwarmPhase.CANCELED, subtasks, state.retriesLeft(), null, reason,
                instanceId, state.version() + 1, now()));
        finished.add(cmd.swarmId());
    }

    /** A report from a worker; only the current attempt of a subtask of an owned swarm counts. */
    public synchronized void onTaskEvent(TaskEvent event) {
        String[] owner = attempts.get(event.taskId());
        if (owner == null) {
            return;
        }
        Collected c = collected.computeIfAbsent(event.taskId(), k -> new Collected());
        switch (event) {
            case TaskEvent.MessageAdded m when m.message().role() == Role.AGENT -> c.messages.add(m.message().text());
            case TaskEvent.MessageAdded m -> { }
            case TaskEvent.ArtifactAdded a -> a.artifact().parts().forEach(p -> {
                if (p instanceof Part.Text t) {
                    c.artifacts.add(t.text());
                }
            });
            case TaskEvent.StatusChanged s when s.isFinal() -> finishAttempt(owner[0], owner[1], event.taskId(), s, c);
            case TaskEvent.StatusChanged s -> {
                SwarmState state = active.get(owner[0]);
                String text = s.status().message() == null ? s.status().state().name().toLowerCase() : s.status().message().text();
                Map<String, Object> meta = new HashMap<>(Map.of("subtask_id", owner[1], "subtask_task_id",
                        event.taskId(), "subtask_state", s.status().state().name().toLowerCase()));
                if (!s.metadata().isEmpty()) {
                    // the worker's step, tool activity, usage (tokens, cost): the per-sub-agent detail view
                    meta.put("subtask_metadata", s.metadata());
                }
                progress(state.command(), "subtask " + owner[1] + ": " + text, meta);
            }
        }
    }

    /**
     * Dispatches what the rate limiter held back.
     *
     * @return nanoseconds until a held-back dispatch may go, or -1 when nothing waits
     */
    public synchronized long pump() {
        long wait = -1;
        for (String id : List.copyOf(active.keySet())) {
            long w = advance(id, false);
            if (w >= 0 && (wait < 0 || w < wait)) {
                wait = w;
            }
        }
        return wait;
    }

    public synchronized Set<String> activeSwarmIds() {
        return Set.copyOf(active.keySet());
    }

    public synchronized Optional<SwarmState> state(String swarmId) {
        return Optional.ofNullable(active.get(swarmId));
    }

    private void finishAttempt(String swarmId, String subtaskId, String taskId, TaskEvent.StatusChanged s, Collected c) {
        attempts.remove(taskId);
        collected.remove(taskId);
        SwarmState state = active.get(swarmId);
        SubtaskState sub = find(state, subtaskId);
        boolean ok = s.status().state() == TaskState.COMPLETED;
        String result = c.result(s.status().message());
        var cmd = state.command();
        ResultValidator.Verdict verdict = validator.check(cmd.provider(), cmd.model(), sub.instruction(), ok, result);
        int retriesLeft = state.retriesLeft();
        SubtaskState next;
        String note;
        if (verdict.valid()) {
            cache.put(sub.contentHash(), result);
            next = sub.withStatus(SubtaskStatus.COMPLETED, result);
            note = "subtask " + subtaskId + " completed";
        } else if (retriesLeft > 0) {
            retriesLeft--;
            next = sub.withStatus(SubtaskStatus.PENDING, verdict.reason());
            note = "subtask " + subtaskId + " rejected (" + verdict.reason() + "); retrying, " + retriesLeft + " retries left";
        } else {
            next = sub.withStatus(SubtaskStatus.FAILED, verdict.reason());
            note = "subtask " + subtaskId + " failed: " + verdict.reason();
        }
        active.put(swarmId, replace(state, next, retriesLeft));
        Map<String, Object> meta = new HashMap<>(Map.of("subtask_id", subtaskId, "subtask_status", next.status().wire(),
                "valid", verdict.valid()));
        if (!s.metadata().isEmpty()) {
            meta.put("subtask_metadata", s.metadata());
        }
        progress(cmd, note, meta);
        advance(swarmId, true);
    }

    /**
     * Moves a swarm forward: skips subtasks behind failed dependencies, answers cached ones, dispatches ready ones
     * while slots and rate tokens last, and finishes the swarm when nothing is left.
     *
     * @return nanoseconds until a rate token frees a held-back subtask, or -1
     */
    private long advance(String swarmId, boolean changed) {
        SwarmState state = active.get(swarmId);
        if (state == null) {
            return -1;
        }
        var cmd = state.command();
        int limit = cmd.maxConcurrency() > 0 ? cmd.maxConcurrency() : settings.defaultConcurrency();
        long wait = -1;
        boolean progressMade = true;
        while (progressMade) {
            progressMade = false;
            Map<String, SubtaskState> byId = new LinkedHashMap<>();
            state.subtasks().forEach(s -> byId.put(s.id(), s));
            long running = state.subtasks().stream().filter(s -> s.status() == SubtaskStatus.DISPATCHED).count();
            for (SubtaskState s : state.subtasks().stream()
                    .sorted((a, b) -> Integer.compare(a.stage(), b.stage())).toList()) {
                if (s.status() != SubtaskStatus.PENDING) {
                    continue;
                }
                Optional<SubtaskState> blocked = s.dependsOn().stream().map(byId::get)
                        .filter(d -> d.status() == SubtaskStatus.FAILED || d.status() == SubtaskStatus.SKIPPED)
                        .findFirst();
                if (blocked.isPresent()) {
                    state = replace(state, s.withStatus(SubtaskStatus.SKIPPED, "dependency " + blocked.get().id()
                            + " did not complete"), state.retriesLeft());
                    progressMade = changed = true;
                    break;
                }
                if (!s.dependsOn().stream().allMatch(d -> byId.get(d).status() == SubtaskStatus.COMPLETED)) {
                    continue;
                }
                String prompt = prompt(cmd, s, byId);
                String hash = ContentHash.of(cmd.provider(), cmd.model(), prompt);
                Optional<String> hit = cache.get(hash);
                if (hit.isPresent()) {
                    state = replace(state, s.fromCache(hash, hit.get()), state.retriesLeft());
                    progress(cmd, "subtask " + s.id() + " answered from cache", Map.of("subtask_id", s.id(),
                            "subtask_status", "completed", "cached", true));
                    progressMade = changed = true;
                    break;
                }
                if (running >= limit) {
                    break;
                }
                if (!limiter.tryAcquire(cmd.provider())) {
                    wait = limiter.nanosUntilNext(cmd.provider());
                    break;
                }
                int attempt = s.attempts() + 1;
                String taskId = cmd.swarmId() + ".s." + s.id() + ".a" + attempt;
                Message message = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(prompt)),
                        taskId, taskId, null, null, null);
                // sub-agents work in the swarm's workspace, as the original's worked in its directory
                outbox.dispatch(new TaskCommand.StartTask(taskId, taskId, cmd.tenant(), message, cmd.provider(),
                        cmd.model(), null, cmd.taskId(), cmd.swarmId(), new TaskCommand.Subtask(s.id(), s.stage(),
                                attempt, cmd.contextId(), cmd.contextId()), Map.of(), now()));
                attempts.put(taskId, new String[] {swarmId, s.id()});
                state = replace(state, s.dispatched(taskId, hash, now()), state.retriesLeft());
                running++;
                progress(cmd, "subtask " + s.id() + " dispatched (stage " + s.stage() + ", attempt " + attempt + ")",
                        Map.of("subtask_id", s.id(), "subtask_task_id", taskId, "subtask_status", "dispatched",
                                "stage", s.stage(), "attempt", attempt));
                progressMade = changed = true;
            }
        }
        if (changed) {
            state = new SwarmState(cmd, state.phase(), state.subtasks(), state.retriesLeft(), null, null, instanceId,
                    state.version() + 1, now());
            outbox.save(state);
        }
        active.put(swarmId, state);
        if (state.subtasks().stream().allMatch(s -> s.status().isDone())) {
            finish(state);
            return -1;
        }
        return wait;
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
        progress(cmd, "all subtasks done; writing the answer", Map.of("phase", "aggregating"));
        aggregation.execute(() -> {
            AnswerAggregator.Aggregate result;
            try {
                result = aggregator.aggregate(cmd, state.subtasks());
            } catch (RuntimeException e) {
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                result = new AnswerAggregator.Aggregate(LlmAggregator.FALLBACK_HEADING.formatted(error)
                        + Aggregator.answer(cmd.goal(), state.subtasks()), "fallback", error);
            }
            finished(state, result);
        });
    }

    private synchronized void finished(SwarmState state, AnswerAggregator.Aggregate result) {
        var cmd = state.command();
        if (!aggregating.remove(cmd.swarmId()) || !active.containsKey(cmd.swarmId())) {
            return; // canceled or handed to another replica meanwhile
        }
        String answer = result.answer();
        String joined = Aggregator.answer(cmd.goal(), state.subtasks());
        long failed = Aggregator.count(state.subtasks(), SubtaskStatus.FAILED);
        SwarmPhase phase = failed == 0 ? SwarmPhase.COMPLETED : SwarmPhase.FAILED;
        List<Map<String, Object>> summary = state.subtasks().stream().map(s -> Map.<String, Object>of("id", s.id(),
                "title", s.title(), "stage", s.stage(), "status", s.status().wire(), "attempts", s.attempts(),
                "cached", s.cached())).toList();
        Artifact artifact = new Artifact("swarm-" + cmd.swarmId() + "-result", "swarm-result",
                "Aggregated answer of swarm " + cmd.swarmId(),
                List.of(Part.Text.of(answer), new Part.Data(Map.of("subtasks", summary), null)), null, null);
        outbox.report(new TaskEvent.ArtifactAdded(cmd.taskId(), cmd.contextId(), instanceId, artifact, false, true, now()));
        Artifact results = new Artifact("swarm-" + cmd.swarmId() + "-subtask-results", "swarm-subtask-results",
                "Every subtask's result, joined in stage order", List.of(Part.Text.of(joined)), null, null);
        outbox.report(new TaskEvent.ArtifactAdded(cmd.taskId(), cmd.contextId(), instanceId, results, false, true, now()));
        Map<String, Object> meta = new HashMap<>(Map.of("phase", phase.wire(), "failed_subtasks", failed,
                "aggregation", result.mode()));
        if (result.error() != null) {
            meta.put("aggregation_error", result.error());
        }
        terminal(cmd, phase == SwarmPhase.COMPLETED ? TaskState.COMPLETED : TaskState.FAILED, answer, meta);
        outbox.save(new SwarmState(cmd, phase, state.subtasks(), state.retriesLeft(), answer,
                failed == 0 ? null : failed + " subtasks failed", instanceId, state.version() + 1, now()));
        active.remove(cmd.swarmId());
        finished.add(cmd.swarmId());
    }

    /** The text a sub-agent gets: the swarm goal, its own instruction and the results of its dependencies. */
    static String prompt(SwarmCommand.StartSwarm cmd, SubtaskState s, Map<String, SubtaskState> byId) {
        StringBuilder p = new StringBuilder("You are one sub-agent of a swarm.\nSwarm goal: ").append(cmd.goal())
                .append("\n\nYour subtask: ").append(s.title()).append("\n").append(s.instruction()).append("\n");
        if (!s.dependsOn().isEmpty()) {
            p.append("\nResults of the subtasks this one depends on:\n");
            for (String dep : s.dependsOn()) {
                SubtaskState d = byId.get(dep);
                p.append("\n### ").append(d.title()).append(" (").append(d.id()).append(")\n").append(d.result()).append("\n");
            }
        }
        return p.toString();
    }

    private void progress(SwarmCommand.StartSwarm cmd, String text, Map<String, Object> details) {
        Map<String, Object> meta = new HashMap<>(details);
        meta.put("swarm_id", cmd.swarmId());
        SwarmState st = active.get(cmd.swarmId());
        if (st != null) {
            meta.put("completed", Aggregator.count(st.subtasks(), SubtaskStatus.COMPLETED));
            meta.put("total", st.subtasks().size());
        }
        Message msg = Message.agentText(UUID.randomUUID().toString(), cmd.contextId(), cmd.taskId(), text);
        outbox.report(new TaskEvent.StatusChanged(cmd.taskId(), cmd.contextId(), instanceId,
                new TaskStatus(TaskState.WORKING, msg, now()), meta, now()));
    }

    private void terminal(SwarmCommand.StartSwarm cmd, TaskState taskState, String text, Map<String, Object> details) {
        Map<String, Object> meta = new HashMap<>(details);
        meta.put("swarm_id", cmd.swarmId());
        Message msg = Message.agentText(UUID.randomUUID().toString(), cmd.contextId(), cmd.taskId(), text);
        if (taskState == TaskState.COMPLETED) {
            outbox.report(new TaskEvent.MessageAdded(cmd.taskId(), cmd.contextId(), instanceId, msg, now()));
        }
        outbox.report(new TaskEvent.StatusChanged(cmd.taskId(), cmd.contextId(), instanceId,
                new TaskStatus(taskState, msg, now()), meta, now()));
    }

    private static SubtaskState find(SwarmState state, String id) {
        return state.subtasks().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private static SwarmState replace(SwarmState state, SubtaskState changed, int retriesLeft) {
        List<SubtaskState> list = state.subtasks().stream().map(s -> s.id().equals(changed.id()) ? changed : s).toList();
        return new SwarmState(state.command(), state.phase(), list, retriesLeft, state.answer(), state.error(),
                state.owner(), state.version(), state.updatedAt());
    }

    private Instant now() {
        return clock.instant();
    }

    /** What a worker reported for one attempt so far. */
    private static final class Collected {
        final List<String> messages = new ArrayList<>();
        final List<String> artifacts = new ArrayList<>();

        /** Artifacts are the deliverable; else the agent's last message; else the final status message. */
        String result(Message statusMessage) {
            if (!artifacts.isEmpty()) {
                return String.join("\n", artifacts);
            }
            if (!messages.isEmpty()) {
                return messages.get(messages.size() - 1);
            }
            return statusMessage == null ? "" : statusMessage.text();
        }
    }
}
