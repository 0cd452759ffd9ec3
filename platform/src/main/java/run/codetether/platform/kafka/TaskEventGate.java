package run.codetether.platform.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Lets a {@code tasks.events} reader rest while nothing it reads for is watched: with nothing watched every task's
 * events would be fetched and decoded only to be ignored (issue 18: swarm-service's coordinator while it owns no
 * swarm, 0.4 ms of CPU per task of the full path; an agent's swarm watcher once its swarm ended). The reader pauses
 * its gated partitions when idle and resumes them as soon as something is registered.
 *
 * <p>No watched event may be lost. A registration (a swarm started or taken over, a swarm watched) runs under this
 * gate's lock, after the end offsets of {@code tasks.events} were read (before the lock is taken: a broker call
 * must not hold up the reader's poll): what is registered only starts writing
 * events after its registration (a subtask is dispatched after its swarm is registered, a swarm is started after its
 * watch is open), so every event it cares about lies at or after those offsets. The reader decides to pause under
 * the same lock, so it either sees the registration (and stays on) or pauses before it (and the offsets left by the
 * registration tell it where to resume). Records before the position at the pause were read while the reader ran,
 * so the resume point is the later of the two; a reader that seeks back on its own (a takeover's replay) still can.
 */
public final class TaskEventGate {
    private static final Logger LOG = Logger.getLogger(TaskEventGate.class);

    private final Object lock = new Object();
    private final BooleanSupplier idle;
    /** Per partition the earliest end offset read by a registration not yet seen by the reader; guarded by lock. */
    private Map<TopicPartition, Long> armed;
    /** Written by the reader thread only. */
    private volatile boolean paused;

    /** @param idle whether nothing is watched (the coordinator: it owns no swarm planned, running or aggregating) */
    public TaskEventGate(BooleanSupplier idle) {
        this.idle = idle;
    }

    /**
     * Registers what the reader reads for (a swarm started or taken over, a watch) with its resume point read first.
     *
     * @param endOffsets reads the current end offsets of every {@code tasks.events} partition (on the calling
     *                   thread's consumer: the reader's own is not thread-safe)
     */
    public void register(Supplier<Map<TopicPartition, Long>> endOffsets, Runnable registration) {
        // a broker call, so outside the lock the reader takes before every poll (issue 20, point 5): offsets read
        // earlier only make the reader skip less, never past an event of the registration (written after it)
        Map<TopicPartition, Long> ends = endOffsets.get();
        synchronized (lock) {
            if (armed == null) {
                armed = new HashMap<>(ends);
            } else {
                ends.forEach((tp, o) -> armed.merge(tp, o, Math::min));
            }
            registration.run();
        }
    }

    /** Called by the reader before each poll: pauses it when idle, resumes it where a registration needs it. */
    public void beforePoll(KafkaConsumer<?, ?> reader) {
        beforePoll(reader, reader.assignment());
    }

    /**
     * {@link #beforePoll(KafkaConsumer)} for a reader that also reads other topics: only {@code parts} (its
     * {@code tasks.events} partitions) are paused and resumed.
     */
    public void beforePoll(KafkaConsumer<?, ?> reader, Collection<TopicPartition> parts) {
        Map<TopicPartition, Long> from;
        boolean idleNow;
        synchronized (lock) {
            idleNow = idle.getAsBoolean();
            from = armed;
            armed = null;
        }
        if (!paused) {
            if (idleNow && from == null) {
                reader.pause(parts);
                paused = true;
                LOG.debugf("nothing watched: task events paused");
            }
            return; // reading on: the position is already at or before what a new swarm needs
        }
        if (from == null && idleNow) {
            return;
        }
        if (from != null) {
            for (TopicPartition tp : parts) {
                Long needed = from.get(tp);
                if (needed != null && needed > reader.position(tp)) {
                    reader.seek(tp, needed); // what lies between was written before the swarm existed
                }
            }
        }
        reader.resume(parts);
        paused = false;
        LOG.debugf("something watched: task events resumed");
    }

    /** Whether the reader rests (tests, health). */
    public boolean paused() {
        return paused;
    }
}
