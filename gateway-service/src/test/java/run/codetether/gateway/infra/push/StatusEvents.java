package run.codetether.gateway.infra.push;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/** Status events written to tasks.events on the shared test broker, as an agent writes them (push reader tests). */
final class StatusEvents implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    StatusEvents() {
        this(SharedKafkaBroker.get().createPlatformTopics(4).bootstrapServers());
    }

    /** On a broker of the test's own (its platform topics created already). */
    StatusEvents(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A status change of {@code taskId}, keyed by it; on {@code partition} when not null, else by its key. */
    void publish(String taskId, TaskState state, Integer partition) throws Exception {
        Message m = Message.agentText(UUID.randomUUID().toString(), "ctx-" + taskId, taskId, state.name());
        TaskEvent e = new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, "worker-1",
                new TaskStatus(state, m, Instant.now()), Map.of(), Instant.now());
        producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, partition, taskId, ContractJson.write(e))).get(10,
                TimeUnit.SECONDS);
    }

    /** Any event, keyed by its task. */
    void publish(TaskEvent e) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TASKS_EVENTS, e.taskId(), ContractJson.write(e))).get(10,
                TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
