package run.codetether.swarm.infra.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, SwarmState> dirty = new ConcurrentHashMap<>();

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

    /**
     * Running states are coalesced: only the newest per swarm is written by {@link #flushStates} (every pump tick,
     * before a rebalance and on close). A lost write only makes a successor replay more events (at least once); a
     * finished state is written at once.
     */
    @Override
    public synchronized void save(SwarmState state) {
        if (state.phase().isFinished()) {
            dirty.remove(state.swarmId());
            send(Topics.SWARM_STATE, state.swarmId(), state);
        } else {
            dirty.put(state.swarmId(), state);
        }
    }

    synchronized void flushStates() {
        for (String swarmId : List.copyOf(dirty.keySet())) {
            SwarmState state = dirty.remove(swarmId);
            if (state != null) {
                try {
                    send(Topics.SWARM_STATE, swarmId, state);
                } catch (RuntimeException e) {
                    // not sent (e.g. interrupted while waiting for metadata): keep it for the next flush
                    dirty.putIfAbsent(swarmId, state);
                    throw e;
                }
            }
        }
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
