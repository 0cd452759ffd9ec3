package run.codetether.swarm.infra.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
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
    /** The newest unsent state per swarm; guarded by its own monitor, never held while sending. */
    private final Map<String, SwarmState> pending = new LinkedHashMap<>();
    /** Held by the one thread sending states, so a swarm's states go out in order. */
    private final ReentrantLock sending = new ReentrantLock();

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
     * finished state is written at once, by this caller or, when another thread is sending, by that one before it
     * lets go (so a send that blocks on the broker's metadata never blocks a caller that only saves).
     */
    @Override
    public void save(SwarmState state) {
        synchronized (pending) {
            pending.put(state.swarmId(), state);
        }
        if (state.phase().isFinished()) {
            sendFinished();
        }
    }

    /** Sends every pending state; waits for a sender already at work (before a rebalance or a commit it must be out). */
    void flushStates() {
        sending.lock();
        try {
            sendPending(false);
        } finally {
            sending.unlock();
        }
        sendFinished();
    }

    /**
     * Sends the pending finished states unless another thread is sending; that one looks again after it lets go, so a
     * finished state saved while it sent is not left behind.
     */
    private void sendFinished() {
        while (hasFinished() && sending.tryLock()) {
            try {
                sendPending(true);
            } finally {
                sending.unlock();
            }
        }
    }

    private boolean hasFinished() {
        synchronized (pending) {
            return pending.values().stream().anyMatch(s -> s.phase().isFinished());
        }
    }

    /**
     * Takes the pending states (all, or the finished ones) under the map's lock and sends them outside it. Sends happen
     * only under {@link #sending}, so a swarm's states reach the producer in the order they were saved: a later take
     * holds a newer state.
     */
    private void sendPending(boolean finishedOnly) {
        Map<String, SwarmState> batch = new LinkedHashMap<>();
        synchronized (pending) {
            pending.values().removeIf(s -> {
                if (finishedOnly && !s.phase().isFinished()) {
                    return false;
                }
                batch.put(s.swarmId(), s);
                return true;
            });
        }
        var it = batch.values().iterator();
        while (it.hasNext()) {
            SwarmState state = it.next();
            try {
                send(Topics.SWARM_STATE, state.swarmId(), state);
                it.remove();
            } catch (RuntimeException e) {
                // not sent (e.g. interrupted while waiting for metadata): keep the rest for the next flush unless a
                // newer state of the swarm came in meanwhile
                synchronized (pending) {
                    batch.forEach(pending::putIfAbsent);
                }
                throw e;
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
