package run.codetether.gateway.infra.kafka;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TaskLog;

/**
 * The task log on Kafka, with an idempotent producer (acks=all): a record acknowledged to a client is durable and
 * written once, and one task's events keep their order.
 */
public final class KafkaTaskLog implements TaskLog, AutoCloseable {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(KafkaTaskLog.class);
    private static final java.util.concurrent.Executor CALLBACKS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final KafkaProducer<String, Object> producer;

    public KafkaTaskLog(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-log");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ContractSerializer());
    }

    public KafkaProducer<String, Object> producer() {
        return producer;
    }

    @Override
    public CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events) {
        List<CompletableFuture<RecordMetadata>> sends = new java.util.ArrayList<>();
        for (TaskEvent e : events) {
            sends.add(send(new ProducerRecord<>(Topics.TASKS_EVENTS, taskId, e)));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .thenApply(v -> sends.stream().map(f -> f.join().offset()).toList());
    }

    @Override
    public void recordState(run.codetether.contracts.a2a.Task task, long offset) {
        producer.send(stateRecord(task, offset));
    }

    /** A tasks.state record: the task, with the events offset it is folded to in a header. */
    public static ProducerRecord<String, Object> stateRecord(run.codetether.contracts.a2a.Task task, long offset) {
        ProducerRecord<String, Object> rec = new ProducerRecord<>(Topics.TASKS_STATE, task.id(), task);
        rec.headers().add(KafkaTaskStateSync.OFFSET_HEADER,
                java.nio.ByteBuffer.allocate(8).putLong(offset).array());
        return rec;
    }

    @Override
    public CompletableFuture<Void> request(TaskCommand command) {
        return send(new ProducerRecord<>(Topics.TASKS_REQUESTED, command.contextId(), command)).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<Void> requestSwarm(run.codetether.contracts.swarm.SwarmCommand job) {
        return send(new ProducerRecord<>(Topics.SWARM_REQUESTED, job.swarmId(), job)).thenApply(m -> null);
    }

    @Override
    public CompletableFuture<Void> control(TaskControl control) {
        return send(new ProducerRecord<>(Topics.TASKS_CONTROL, control.taskId(), control)).thenApply(m -> null);
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, Object> record) {
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        try {
            producer.send(record, (meta, err) -> {
                if (err != null) {
                    LOG.warnf("task log write to %s failed: %s", record.topic(), err.toString());
                    CALLBACKS.execute(() -> f.completeExceptionally(new A2AException(A2AError.UNAVAILABLE,
                            "The task log did not accept the request; retry later")));
                } else {
                    // never run the caller's continuation on Kafka's I/O thread: a send() there waits for
                    // metadata that only this thread can fetch (a deadlock until max.block.ms)
                    CALLBACKS.execute(() -> f.complete(meta));
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("task log write to %s refused: %s", record.topic(), e.toString());
            f.completeExceptionally(new A2AException(A2AError.UNAVAILABLE,
                    "The task log is unavailable; retry later"));
        }
        return f;
    }

    @Override
    public void close() {
        producer.close();
    }
}
