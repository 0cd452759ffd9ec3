package run.codetether.contracts.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every Kafka topic of the platform, declared once. Names are dotted nouns. */
public final class Topics {
    private Topics() {}

    /** Task commands for agent workers ({@link TaskCommand}), keyed by contextId. */
    public static final String TASKS_REQUESTED = "tasks.requested";
    /** Broadcast control signals for agent workers ({@link TaskControl}), keyed by taskId. */
    public static final String TASKS_CONTROL = "tasks.control";
    /** Worker reports ({@link TaskEvent}), keyed by taskId. */
    public static final String TASKS_EVENTS = "tasks.events";
    /** Latest full task per taskId (compacted), written by the gateway so any replica can answer. */
    public static final String TASKS_STATE = "tasks.state";
    /** Swarm jobs for swarm workers, keyed by swarmId. */
    public static final String SWARM_REQUESTED = "swarm.requested";
    /** Swarm coordinator state (compacted), keyed by swarmId, so another replica can take a swarm over. */
    public static final String SWARM_STATE = "swarm.state";
    /** Agent sessions (compacted), keyed by contextId: conversation so far, so any worker can resume it. */
    public static final String AGENT_SESSIONS = "agent.sessions";
    /** Cognition control (start/stop/persona changes) for swarm workers. */
    public static final String COGNITION_COMMANDS = "cognition.commands";
    /** Cognition thought events for every gateway replica. */
    public static final String COGNITION_EVENTS = "cognition.events";
    /**
     * Push-notification configs (compacted), keyed by {@code taskId/configId}; only the gateway reads and writes it,
     * but it is declared here so every topic is created (and provisioned by the chart) from one list.
     */
    public static final String GATEWAY_PUSH_CONFIGS = "gateway.push-configs";

    /**
     * Connected workers (worker mode), keyed by worker id, compacted: which gateway replica holds each worker's stream,
     * its codebases and tools ({@code run.codetether.contracts.worker.WorkerRegistration}); a tombstone when it is gone.
     */
    public static final String WORKERS_REGISTRY = "workers.registry";
    /** Tool calls for workers ({@code WorkerCallRequest}), keyed by worker id; read by every gateway replica. */
    public static final String WORKERS_CALLS = "workers.calls";
    /** Workers' answers ({@code WorkerCallReply}), keyed by the asking agent instance; read by every agent replica. */
    public static final String WORKERS_RESULTS = "workers.results";

    /**
     * The configured MCP servers' tools (compacted, one key), as an agent-service replica listed them
     * ({@code run.codetether.contracts.mcp.McpToolCatalog}); read by every gateway replica for {@code GET /v1/mcp/tools}.
     */
    public static final String MCP_TOOLS = "mcp.tools";

    /**
     * Each agent-service replica's cumulative spend per tenant and UTC day (compacted), keyed tenant/day/replica
     * ({@code run.codetether.contracts.budget.TenantSpend}); every agent replica reads it to enforce the tenants'
     * daily budgets across replicas and to recover the day's spend after a restart.
     */
    public static final String TENANTS_SPEND = "tenants.spend";

    /** Largest record of {@link #MCP_TOOLS}: every configured server's tool schemas; brokers default to 1 MiB. */
    public static final int MCP_TOOLS_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** Largest record of {@link #AGENT_SESSIONS}: a whole conversation, compressed; brokers default to 1 MiB. */
    public static final int SESSION_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /**
     * Largest record of {@link #TASKS_EVENTS} and {@link #TASKS_STATE}: a task's {@code changes} artifact carries its
     * diff (the agent caps it at 4 MiB by default), and the state record holds the whole task; brokers default to 1 MiB.
     */
    public static final int TASK_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /**
     * How a topic is created.
     *
     * @param compacted keep only the latest record per key (state topics)
     * @param maxMessageBytes the topic's {@code max.message.bytes}, or 0 for the broker's default
     */
    public record Spec(String name, int partitions, boolean compacted, int maxMessageBytes) {
        public Spec(String name, int partitions, boolean compacted) {
            this(name, partitions, compacted, 0);
        }

        /** The topic-level configs to create it with. */
        public Map<String, String> configs() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("cleanup.policy", compacted ? "compact" : "delete");
            if (maxMessageBytes > 0) {
                c.put("max.message.bytes", Integer.toString(maxMessageBytes));
            }
            return c;
        }
    }

    /** Default layout; partitions bound the parallelism of a consumer group (size them to the worker replicas). */
    public static List<Spec> all(int workPartitions) {
        return List.of(
                new Spec(TASKS_REQUESTED, workPartitions, false),
                new Spec(TASKS_CONTROL, 1, false),
                new Spec(TASKS_EVENTS, workPartitions, false, TASK_MAX_MESSAGE_BYTES),
                new Spec(TASKS_STATE, workPartitions, true, TASK_MAX_MESSAGE_BYTES),
                new Spec(SWARM_REQUESTED, workPartitions, false),
                new Spec(SWARM_STATE, workPartitions, true),
                new Spec(AGENT_SESSIONS, workPartitions, true, SESSION_MAX_MESSAGE_BYTES),
                new Spec(COGNITION_COMMANDS, 1, false),
                new Spec(COGNITION_EVENTS, 1, false),
                new Spec(GATEWAY_PUSH_CONFIGS, 1, true),
                new Spec(WORKERS_REGISTRY, 1, true),
                new Spec(WORKERS_CALLS, 1, false),
                new Spec(WORKERS_RESULTS, 1, false),
                new Spec(MCP_TOOLS, 1, true, MCP_TOOLS_MAX_MESSAGE_BYTES),
                new Spec(TENANTS_SPEND, 1, true));
    }
}
