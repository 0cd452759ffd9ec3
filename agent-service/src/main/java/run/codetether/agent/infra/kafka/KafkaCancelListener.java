package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Collection;
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
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("agent-control-" + workerId,
                Optional.of("agent-control-" + workerId + "-" + UUID.randomUUID()),
                Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        loop = PollLoop.builder("agent-cancel-" + workerId, consumer)
                .onStart(c -> c.subscribe(List.of(Topics.TASKS_CONTROL), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> parts) {}

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                        // position now, so "latest" is fixed before anyone waits on this latch
                        parts.forEach(c::position);
                        assigned.countDown();
                    }
                }))
                .onRecord(this::handle)
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
