package run.codetether.contracts.events;

import java.util.List;

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
     * How a topic is created.
     *
     * @param compacted keep only the latest record per key (state topics)
     */
    public record Spec(String name, int partitions, boolean compacted) {}

    /** Default layout; partitions bound the parallelism of a consumer group (size them to the worker replicas). */
    public static List<Spec> all(int workPartitions) {
        return List.of(
                new Spec(TASKS_REQUESTED, workPartitions, false),
                new Spec(TASKS_CONTROL, 1, false),
                new Spec(TASKS_EVENTS, workPartitions, false),
                new Spec(TASKS_STATE, workPartitions, true),
                new Spec(SWARM_REQUESTED, workPartitions, false),
                new Spec(SWARM_STATE, workPartitions, true),
                new Spec(AGENT_SESSIONS, workPartitions, true),
                new Spec(COGNITION_COMMANDS, 1, false),
                new Spec(COGNITION_EVENTS, 1, false));
    }
}
