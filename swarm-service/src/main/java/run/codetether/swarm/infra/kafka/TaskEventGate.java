package run.codetether.swarm.infra.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Lets the coordinator's {@code tasks.events} reader rest while this instance owns no swarm: with no swarm running
 * every other task's events would be fetched and decoded only to be ignored (0.4 ms of CPU per task of the full path,
 * issue 18). The reader pauses its partitions when the coordinator is idle and resumes as soon as a swarm is
 * registered here.
 *
 * <p>No subtask report may be lost. A registration (a start, a takeover) runs under this gate's lock, after the end
 * offsets of {@code tasks.events} were read: a subtask is dispatched only after its swarm is registered and a worker
 * reports only after the dispatch, so every report of that swarm lies at or after those offsets. The reader decides
 * to pause under the same lock, so it either sees the registration (and stays on) or pauses before it (and the
 * offsets left by the registration tell it where to resume). Records before the position at the pause were read
 * while the reader ran, so the resume point is the later of the two; a takeover's replay seeks back on its own.
 */
final class TaskEventGate {
    private static final Logger LOG = Logger.getLogger(TaskEventGate.class);

    private final Object lock = new Object();
    private final BooleanSupplier idle;
    /** Per partition the earliest end offset read by a registration not yet seen by the reader; guarded by lock. */
    private Map<TopicPartition, Long> armed;
    /** Written by the reader thread only. */
    private volatile boolean paused;

    /** @param idle whether the coordinator owns no swarm (none planned, running or aggregating) */
    TaskEventGate(BooleanSupplier idle) {
        this.idle = idle;
    }

    /**
     * Registers swarms (starts one, takes some over) with the reader's resume point read first.
     *
     * @param endOffsets reads the current end offsets of every {@code tasks.events} partition (on the calling
     *                   thread's consumer: the reader's own is not thread-safe)
     */
    void register(Supplier<Map<TopicPartition, Long>> endOffsets, Runnable registration) {
        synchronized (lock) {
            Map<TopicPartition, Long> ends = endOffsets.get();
            if (armed == null) {
                armed = new HashMap<>(ends);
            } else {
                ends.forEach((tp, o) -> armed.merge(tp, o, Math::min));
            }
            registration.run();
        }
    }

    /** Called by the reader before each poll: pauses it when idle, resumes it where a registration needs it. */
    void beforePoll(KafkaConsumer<?, ?> reader) {
        Map<TopicPartition, Long> from;
        boolean idleNow;
        synchronized (lock) {
            idleNow = idle.getAsBoolean();
            from = armed;
            armed = null;
        }
        Collection<TopicPartition> parts = reader.assignment();
        if (!paused) {
            if (idleNow && from == null) {
                reader.pause(parts);
                paused = true;
                LOG.debugf("no swarm owned here: task events paused");
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
        LOG.debugf("a swarm is owned here: task events resumed");
    }

    /** Whether the reader rests (tests). */
    boolean paused() {
        return paused;
    }
}
