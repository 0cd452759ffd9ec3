package run.codetether.agent.domain.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;

/**
 * The {@code swarm} tool: hands a big task to swarm-service, which splits it into subtasks for other agent workers,
 * and waits for the aggregated answer while streaming the swarm's progress to the calling task. Parameters follow
 * the original's swarm settings ({@code strategy}, {@code max_subagents}, {@code timeout_secs},
 * {@code parallel_enabled}). The swarm id is derived from the calling task id and the call id, so a run resumed on
 * another worker re-attaches to the same swarm instead of starting a second one. Subtasks work in the caller's
 * workspace (see {@link SwarmWorkspace}). Canceling the calling task cancels the swarm; a worker handing the task
 * over leaves it running for the next owner.
 */
public final class SwarmTool implements LoopTool {
    public static final String NAME = "swarm";
    private static final int DEFAULT_SUBAGENTS = 10;

    private final SwarmLauncher launcher;
    private final SwarmToolSettings settings;

    public SwarmTool(SwarmLauncher launcher, SwarmToolSettings settings) {
        this.launcher = launcher;
        this.settings = settings;
    }

    @Override
    public ToolSpec spec() {
        return ToolSpec.mutating(NAME, "Split a large task into parallel subtasks run by other agents (a swarm) and wait for "
                + "their aggregated result. The sub-agents work in this task's workspace. Use it for work that "
                + "divides into mostly independent parts.", """
                {"type":"object","properties":{
                 "task":{"type":"string","description":"What the whole swarm must achieve"},
                 "strategy":{"type":"string","enum":["auto","domain","data","stage","none"],
                  "description":"How to split: auto (default), by domain, by data slice, by sequential stage, or none"},
                 "max_subagents":{"type":"integer","minimum":1,"maximum":100,
                  "description":"Most subtasks the swarm may create (default 10)"},
                 "timeout_secs":{"type":"integer","minimum":30,"maximum":3600,
                  "description":"How long to wait for the swarm before canceling it"},
                 "parallel_enabled":{"type":"boolean","description":"Run subtasks in parallel (default true)"}},
                 "required":["task"]}""");
    }

    /** The swarm of one tool call: the same task and call always give the same id. */
    public static String swarmId(String taskId, String callId) {
        return "swarm-" + UUID.nameUUIDFromBytes((taskId + "\n" + callId).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Result run(ToolInvocation call, LoopAccess loop) throws InterruptedException {
        Args args;
        try {
            args = Args.parse(call.arguments(), settings.defaultTimeout());
        } catch (IllegalArgumentException e) {
            return Result.error("Invalid swarm arguments: " + e.getMessage());
        }
        String swarmId = swarmId(loop.taskId(), call.id());
        SwarmCommand.StartSwarm start = new SwarmCommand.StartSwarm(swarmId, swarmId, loop.contextId(), null,
                args.task, args.strategy, loop.model().provider(), loop.model().modelId(),
                args.parallel ? 0 : 1, args.maxSubagents, Map.of(), Instant.now(),
                new SwarmCommand.Caller(loop.taskId(), call.id()));
        try (SwarmLauncher.Watch watch = launcher.watch(swarmId, swarmId)) {
            try {
                launcher.start(start);
            } catch (IllegalStateException e) {
                if (loop.canceled()) {
                    throw e; // canceled while the start's ack was awaited: it may have landed; the cancel below stops it
                }
                return Result.error("Could not start swarm " + swarmId + ": " + e.getMessage());
            }
            loop.progress("swarm " + swarmId + " started (strategy " + args.strategy.wire() + ", at most "
                    + args.maxSubagents + " subtasks)", Map.of(MetadataKeys.SWARM_ID, swarmId));
            Instant deadline = Instant.now().plus(args.timeout);
            while (true) {
                loop.checkStop();
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    String canceled = "it was canceled.";
                    try {
                        launcher.cancel(new SwarmCommand.CancelSwarm(swarmId, "swarm tool timed out after "
                                + args.timeout.toSeconds() + " s", null));
                    } catch (IllegalStateException e) {
                        canceled = "canceling it failed (" + e.getMessage() + "); it may still run.";
                    }
                    return Result.error("Swarm " + swarmId + " did not finish within " + args.timeout.toSeconds()
                            + " s (timeout_secs); " + canceled);
                }
                SwarmLauncher.Update update = watch.next(left.compareTo(settings.pollInterval()) < 0 ? left
                        : settings.pollInterval());
                switch (update) {
                    case null -> { }
                    case SwarmLauncher.Update.Progress p -> {
                        Map<String, Object> m = new LinkedHashMap<>(p.metadata());
                        m.put(MetadataKeys.SWARM_ID, swarmId);
                        loop.progress("[swarm] " + p.text(), m);
                    }
                    case SwarmLauncher.Update.Finished f -> {
                        return result(swarmId, f);
                    }
                }
            }
        } catch (InterruptedException | RuntimeException stop) {
            // canceled by request: stop the swarm too; handed over (abandoned): the next owner re-attaches
            if (loop.canceled()) {
                try {
                    launcher.cancel(new SwarmCommand.CancelSwarm(swarmId, "calling task " + loop.taskId()
                            + " canceled", null));
                } catch (RuntimeException e) {
                    stop.addSuppressed(e);
                }
            }
            throw stop;
        }
    }

    private static Result result(String swarmId, SwarmLauncher.Update.Finished f) {
        String answer = f.answer() == null ? "" : f.answer().strip();
        return switch (f.phase()) {
            case COMPLETED -> Result.ok(answer.isEmpty() ? "Swarm completed without textual output." : answer);
            case FAILED -> Result.error("Swarm " + swarmId + " failed"
                    + (f.error() == null ? "" : ": " + f.error()) + (answer.isEmpty() ? "" : "\n\n" + answer));
            case CANCELED -> Result.error("Swarm " + swarmId + " was canceled"
                    + (f.error() == null ? "" : ": " + f.error()));
            case PLANNING, RUNNING -> throw new IllegalStateException("swarm " + swarmId + " reported as finished in "
                    + f.phase());
        };
    }

    /** Validated call arguments; the loop already checked them against the schema's types and required fields. */
    private record Args(String task, SwarmStrategy strategy, int maxSubagents, Duration timeout, boolean parallel) {
        static Args parse(JsonNode n, Duration defaultTimeout) {
            String task = n.path("task").asText("").strip();
            if (task.isEmpty()) {
                throw new IllegalArgumentException("task must not be empty");
            }
            SwarmStrategy strategy = SwarmStrategy.parse(n.path("strategy").asText(null));
            int max = n.has("max_subagents") ? n.get("max_subagents").asInt() : DEFAULT_SUBAGENTS;
            if (max < 1 || max > 100) {
                throw new IllegalArgumentException("max_subagents must be within 1..100, was " + max);
            }
            Duration timeout = defaultTimeout;
            if (n.has("timeout_secs")) {
                long s = n.get("timeout_secs").asLong();
                if (s < 30 || s > 3600) {
                    throw new IllegalArgumentException("timeout_secs must be within 30..3600, was " + s);
                }
                timeout = Duration.ofSeconds(s);
            }
            boolean parallel = !n.has("parallel_enabled") || n.get("parallel_enabled").asBoolean(true);
            return new Args(task, strategy, max, timeout, parallel);
        }
    }
}
