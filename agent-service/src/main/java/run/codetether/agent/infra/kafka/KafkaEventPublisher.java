package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;

/** Task events on {@code tasks.events} keyed by taskId (acks=all, idempotent). Thread-safe. */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaEventPublisher.class);
    private final KafkaProducer<String, byte[]> producer;
    /**
     * How long a final event waits for its ack: past the producer's delivery timeout, which fails the send first. A
     * fixed 30 s here failed tasks in a broker restart that the producer was still waiting out (issue 19's drill).
     */
    private final Duration finalWait;

    public KafkaEventPublisher(String bootstrapServers) {
        this(KafkaClients.forBootstrap(bootstrapServers), KafkaTuning.DEFAULTS);
    }

    /** @param tuning how long a send retries through a broker outage before the event is lost */
    public KafkaEventPublisher(KafkaClients kafka, KafkaTuning tuning) {
        // a final event can carry a task's diff (the changes artifact): up to the topic's record limit, compressed
        producer = kafka.producer("agent-events-" + UUID.randomUUID(), tuning.producer(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.TASK_MAX_MESSAGE_BYTES))),
                new StringSerializer(), new ByteArraySerializer());
        finalWait = tuning.deliveryTimeout().plusSeconds(5);
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
            producer.send(record).get(finalWait.toMillis(), TimeUnit.MILLISECONDS);
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
