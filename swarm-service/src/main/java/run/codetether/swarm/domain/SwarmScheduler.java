package run.codetether.swarm.domain;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.swarm.SubtaskState;
import run.codetether.contracts.swarm.SubtaskStatus;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmState;

/**
 * Decides what runs next in one swarm: skips subtasks behind failed dependencies, answers cached ones, and
 * dispatches ready ones (stage order) while the swarm's concurrency slots and the provider's rate tokens last. Pure
 * apart from publishing the dispatches; the coordinator calls it under its lock and saves the result.
 */
final class SwarmScheduler {
    /** The swarm after one pass, whether anything changed, and when a held-back dispatch may go (-1: none waits). */
    record Step(SwarmState state, boolean changed, long waitNanos) {}

    private final ResultCache cache;
    private final ProviderRateLimiter limiter;
    private final SwarmOutbox outbox;
    private final SwarmSettings settings;
    private final Clock clock;
    private final SwarmReports reports;

    SwarmScheduler(ResultCache cache, ProviderRateLimiter limiter, SwarmOutbox outbox, SwarmSettings settings,
            Clock clock, SwarmReports reports) {
        this.cache = cache;
        this.limiter = limiter;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.reports = reports;
    }

    /** @param dispatched told (task id, subtask id) of every attempt published */
    Step advance(SwarmState state, BiConsumer<String, String> dispatched) {
        var cmd = state.command();
        int limit = cmd.maxConcurrency() > 0 ? cmd.maxConcurrency() : settings.defaultConcurrency();
        long wait = -1;
        boolean changed = false;
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
                    reports.progress(cmd, state, "subtask " + s.id() + " answered from cache",
                            Map.of(MetadataKeys.SUBTASK_ID, s.id(), MetadataKeys.SUBTASK_STATUS, "completed",
                                    MetadataKeys.CACHED, true));
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
                state = dispatch(state, s, prompt, hash, dispatched);
                running++;
                progressMade = changed = true;
            }
        }
        return new Step(state, changed, wait);
    }

    /** Publishes the next attempt of one subtask as an ordinary task; the returned state records it. */
    private SwarmState dispatch(SwarmState state, SubtaskState s, String prompt, String hash,
            BiConsumer<String, String> dispatched) {
        var cmd = state.command();
        int attempt = s.attempts() + 1;
        String taskId = cmd.swarmId() + ".s." + s.id() + ".a" + attempt;
        Message message = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(prompt)),
                taskId, taskId, null, null, null);
        // sub-agents work in the swarm's workspace, as the original's worked in its directory
        outbox.dispatch(new TaskCommand.StartTask(taskId, taskId, cmd.tenant(), message, cmd.provider(),
                cmd.model(), null, cmd.taskId(), cmd.swarmId(), new TaskCommand.Subtask(s.id(), s.stage(),
                        attempt, cmd.contextId(), cmd.contextId()), Map.of(), clock.instant()));
        dispatched.accept(taskId, s.id());
        SwarmState next = replace(state, s.dispatched(taskId, hash, clock.instant()), state.retriesLeft());
        reports.progress(cmd, next, "subtask " + s.id() + " dispatched (stage " + s.stage() + ", attempt " + attempt
                + ")", Map.of(MetadataKeys.SUBTASK_ID, s.id(), MetadataKeys.SUBTASK_TASK_ID, taskId,
                MetadataKeys.SUBTASK_STATUS, "dispatched", MetadataKeys.STAGE, s.stage(), MetadataKeys.ATTEMPT,
                attempt, MetadataKeys.TITLE, s.title()));
        return next;
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

    static SwarmState replace(SwarmState state, SubtaskState changed, int retriesLeft) {
        List<SubtaskState> list = state.subtasks().stream().map(s -> s.id().equals(changed.id()) ? changed : s).toList();
        return new SwarmState(state.command(), state.phase(), list, retriesLeft, state.answer(), state.error(),
                state.owner(), state.version(), state.updatedAt(), state.coordinatorUsage());
    }
}
