package run.codetether.contracts.swarm;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Map;

/**
 * A swarm job for swarm-service, published on {@code swarm.requested} keyed by swarmId. The swarm's own A2A task
 * ({@code taskId}) receives progress and the aggregated answer as TaskEvents on {@code tasks.events}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SwarmCommand.StartSwarm.class, name = "start_swarm"),
    @JsonSubTypes.Type(value = SwarmCommand.CancelSwarm.class, name = "cancel_swarm")
})
public sealed interface SwarmCommand {

    String swarmId();

    Instant requestedAt();

    /**
     * Start a swarm.
     *
     * @param goal what the whole swarm must achieve (the user's message text)
     * @param provider provider for sub-agents and the decomposer, or null for the service default
     * @param model model id, or null for the provider's default
     * @param maxConcurrency most subtasks running at once for this swarm (1..256); 0 means the service default
     * @param maxSubtasks most subtasks the decomposer may produce; 0 means the service default
     * @param metadata the A2A request's metadata as the client sent it
     * @param caller the agent's tool call that started this swarm (the {@code swarm} tool), or null for a client's job
     */
    record StartSwarm(
            String swarmId,
            String taskId,
            String contextId,
            String tenant,
            String goal,
            SwarmStrategy strategy,
            String provider,
            String model,
            int maxConcurrency,
            int maxSubtasks,
            Map<String, Object> metadata,
            Instant requestedAt,
            Caller caller)
            implements SwarmCommand {
        public StartSwarm {
            Checks.text(swarmId, "swarmId");
            Checks.text(taskId, "taskId");
            Checks.text(contextId, "contextId");
            Checks.text(goal, "goal");
            strategy = strategy == null ? SwarmStrategy.AUTO : strategy;
            if (maxConcurrency < 0 || maxConcurrency > 256) {
                throw new IllegalArgumentException("maxConcurrency must be within 0..256, was " + maxConcurrency);
            }
            if (maxSubtasks < 0 || maxSubtasks > 1000) {
                throw new IllegalArgumentException("maxSubtasks must be within 0..1000, was " + maxSubtasks);
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }

        /** A client's swarm job (no calling agent). */
        public StartSwarm(String swarmId, String taskId, String contextId, String tenant, String goal,
                SwarmStrategy strategy, String provider, String model, int maxConcurrency, int maxSubtasks,
                Map<String, Object> metadata, Instant requestedAt) {
            this(swarmId, taskId, contextId, tenant, goal, strategy, provider, model, maxConcurrency, maxSubtasks,
                    metadata, requestedAt, null);
        }
    }

    /** The agent task and tool call that started a swarm. */
    record Caller(String taskId, String callId) {
        public Caller {
            Checks.text(taskId, "caller.taskId");
            Checks.text(callId, "caller.callId");
        }
    }

    /** Stop a running swarm: no new subtasks, the swarm task ends canceled. */
    record CancelSwarm(String swarmId, String reason, Instant requestedAt) implements SwarmCommand {
        public CancelSwarm {
            Checks.text(swarmId, "swarmId");
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }
}
