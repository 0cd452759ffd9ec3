package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * Reads {@code tasks.control} in a consumer group of its own (every worker sees every cancel) from the latest
 * offset, and cancels the task when it runs here.
 */
public final class KafkaCancelListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaCancelListener.class);
    private final TaskDispatcher dispatcher;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final PollLoop<String, byte[]> loop;

    public KafkaCancelListener(KafkaClients kafka, String workerId, TaskDispatcher dispatcher) {
        this(kafka, workerId, dispatcher, new LoopHealth());
    }

    /** @param health where the poll loop reports (a dead listener turns the agent's readiness down) */
    public KafkaCancelListener(KafkaClients kafka, String workerId, TaskDispatcher dispatcher, LoopHealth health) {
        this.dispatcher = dispatcher;
        // a cancel is rare. Committed: once at assignment and after each batch that held a cancel, which is all a
        // rejoin of this process's own group needs to go on where it was (auto-commit wrote a record per partition
        // every 5 s, whether anything was read or not: issue 18)
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("agent-control-" + workerId,
                Optional.of("agent-control-" + workerId + "-" + UUID.randomUUID()), Traffic.RARE,
                Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        loop = PollLoop.builder("agent-cancel-" + workerId, consumer)
                .onStart(c -> c.subscribe(List.of(Topics.TASKS_CONTROL), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> parts) {}

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                        // position now, so "latest" is fixed before anyone waits on this latch
                        parts.forEach(c::position);
                        commitPositions(c, parts);
                        assigned.countDown();
                    }
                }))
                .onRecord(this::handle)
                .commit(PollLoop.Commit.AFTER_BATCH)
                .health(health)
                .build();
    }

    public KafkaCancelListener start() {
        loop.start();
        return this;
    }

    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A rejoin reads on from here, not from the end of the log at that time (a cancel sent meanwhile stays). */
    private static void commitPositions(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> parts) {
        if (parts.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
        parts.forEach(tp -> at.put(tp, new OffsetAndMetadata(c.position(tp))));
        try {
            c.commitSync(at, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("could not commit the cancel listener's start positions (%s): a rejoin before the first cancel"
                    + " reads from the end of the log at that time", e.getMessage());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.value() != null && ContractJson.read(r.value(), TaskControl.class) instanceof TaskControl.CancelTask c) {
                dispatcher.cancel(c.taskId(), c.reason());
            }
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable control record: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
