package run.codetether.swarm.infra.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.swarm.SwarmState;
import run.codetether.swarm.domain.SwarmOutbox;

/**
 * Writes coordinator decisions to Kafka: subtasks on {@code tasks.requested} keyed by their contextId, swarm task
 * events on {@code tasks.events} keyed by taskId, cancels on {@code tasks.control}, state on the compacted
 * {@code swarm.state} keyed by swarmId. Send failures are logged with the record kind and key; the producer retries
 * on its own (idempotent, acks=all).
 */
final class KafkaSwarmOutbox implements SwarmOutbox {
    private static final Logger LOG = Logger.getLogger(KafkaSwarmOutbox.class);
    private final Producer<String, Object> producer;

    KafkaSwarmOutbox(Producer<String, Object> producer) {
        this.producer = producer;
    }

    @Override
    public void dispatch(TaskCommand.StartTask subtask) {
        send(Topics.TASKS_REQUESTED, subtask.contextId(), subtask);
    }

    @Override
    public void cancel(TaskControl.CancelTask cancel) {
        send(Topics.TASKS_CONTROL, cancel.taskId(), cancel);
    }

    @Override
    public void report(TaskEvent event) {
        send(Topics.TASKS_EVENTS, event.taskId(), event);
    }

    @Override
    public void save(SwarmState state) {
        send(Topics.SWARM_STATE, state.swarmId(), state);
    }

    private void send(String topic, String key, Object value) {
        producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
            if (error != null) {
                LOG.errorf("cannot publish %s to %s (key %s): %s", value.getClass().getSimpleName(), topic, key,
                        error.getMessage());
            }
        });
    }
}
