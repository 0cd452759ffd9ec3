package run.codetether.agent.infra.kafka;

import java.time.Duration;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/**
 * One agent worker: the loop, its dispatcher, the task intake and the cancel listener. Several can live in one
 * JVM (tests); {@link #close} hands every running task to the partitions' next owner.
 */
public final class AgentWorker implements AutoCloseable {
    private final TaskDispatcher dispatcher;
    private final KafkaTaskIntake intake;
    private final KafkaCancelListener cancels;

    public AgentWorker(String bootstrapServers, String groupId, String workerId, AgentLoop loop, int maxConcurrent) {
        this(bootstrapServers, Topics.TASKS_REQUESTED, groupId, workerId, loop, maxConcurrent);
    }

    /** @param taskTopic tasks.requested in production; tests isolate themselves with a topic of their own */
    public AgentWorker(String bootstrapServers, String taskTopic, String groupId, String workerId, AgentLoop loop,
            int maxConcurrent) {
        this(KafkaClients.forBootstrap(bootstrapServers), taskTopic, groupId, workerId, loop, maxConcurrent,
                KafkaTuning.DEFAULTS);
    }

    public AgentWorker(String bootstrapServers, String taskTopic, String groupId, String workerId, AgentLoop loop,
            int maxConcurrent, KafkaTuning tuning) {
        this(KafkaClients.forBootstrap(bootstrapServers), taskTopic, groupId, workerId, loop, maxConcurrent, tuning);
    }

    public AgentWorker(KafkaClients kafka, String taskTopic, String groupId, String workerId, AgentLoop loop,
            int maxConcurrent, KafkaTuning tuning) {
        this(kafka, taskTopic, groupId, workerId, loop, maxConcurrent, tuning, new LoopHealth());
    }

    /**
     * @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included)
     * @param health where the intake's and the cancel listener's poll loops report (the service's readiness)
     */
    public AgentWorker(KafkaClients kafka, String taskTopic, String groupId, String workerId, AgentLoop loop,
            int maxConcurrent, KafkaTuning tuning, LoopHealth health) {
        this.dispatcher = new TaskDispatcher(loop, maxConcurrent);
        this.cancels = new KafkaCancelListener(kafka, workerId, dispatcher, health).start();
        this.intake = new KafkaTaskIntake(kafka, taskTopic, groupId, workerId, dispatcher, "earliest", tuning, health)
                .start();
    }

    public TaskDispatcher dispatcher() {
        return dispatcher;
    }

    /** Waits until the cancel listener is positioned and the intake owns partitions. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return cancels.awaitAssignment(timeout) && intake.awaitAssignment(timeout);
    }

    public boolean cancelReady(Duration timeout) throws InterruptedException {
        return cancels.awaitAssignment(timeout);
    }

    @Override
    public void close() {
        intake.close();
        cancels.close();
    }
}
