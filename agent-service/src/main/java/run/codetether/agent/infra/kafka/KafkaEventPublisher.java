package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;

/** Task events on {@code tasks.events} keyed by taskId (acks=all, idempotent). Thread-safe. */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaEventPublisher.class);
    private final KafkaProducer<String, byte[]> producer;

    public KafkaEventPublisher(String bootstrapServers) {
        this(bootstrapServers, KafkaTuning.DEFAULTS);
    }

    /** @param tuning how long a send retries through a broker outage before the event is lost */
    public KafkaEventPublisher(String bootstrapServers, KafkaTuning tuning) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // a final event can carry a task's diff (the changes artifact): up to the topic's record limit, compressed
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.TASK_MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        tuning.applyToProducer(p);
        producer = new KafkaProducer<>(p, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    /**
     * Progress events are sent without waiting; a task's final status waits for the broker's ack, and since all of
     * a task's events share one partition of an idempotent producer, that ack covers every earlier event too.
     */
    @Override
    public void publish(TaskEvent event) {
        var record = new ProducerRecord<>(Topics.TASKS_EVENTS, event.taskId(), ContractJson.write(event));
        if (!(event instanceof TaskEvent.StatusChanged s && s.isFinal())) {
            producer.send(record, (m, e) -> {
                if (e != null) {
                    LOG.warn("event of " + event.taskId() + " not published: " + e.getMessage());
                }
            });
            return;
        }
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing an event of " + event.taskId());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + Topics.TASKS_EVENTS + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
