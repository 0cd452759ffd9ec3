package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Where the task intake stands in each partition it owns: the offsets whose commands are not finished (running,
 * buffered, parked, to run again or abandoned), where reading goes on, and what is committed. A command's offset is
 * committed only once every command before it finished, so a command that finished behind a long run stays
 * uncommitted. The commit says which of those finished ({@link FinishedAhead}, in the offset's metadata), so the
 * partition's next owner after a crash or a rebalance skips them instead of sending their ends again (issue 19: a
 * restarted agent's memory of the ends it sent is empty). Not thread-safe except {@link #finished}, which runs tell
 * from their threads; everything else is the poll thread's.
 */
final class IntakeOffsets {
    private static final Logger LOG = Logger.getLogger(IntakeOffsets.class);

    private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    /** What the partition's last owner committed as finished past its committed offset, until read past. */
    private final Map<TopicPartition, FinishedAhead> inherited = new HashMap<>();
    private final Queue<Map.Entry<TopicPartition, Long>> finished = new ConcurrentLinkedQueue<>();

    /**
     * A fetched record at the head of its partition. False when the partition's last owner finished its command
     * (its end went out from there): it counts as done here without running again.
     */
    boolean fetched(TopicPartition tp, long offset) {
        next.merge(tp, offset + 1, Math::max);
        FinishedAhead ahead = inherited.get(tp);
        if (ahead != null) {
            if (offset >= ahead.limit()) {
                inherited.remove(tp);
            } else if (ahead.finished(offset)) {
                LOG.debugf("%s@%d finished on the partition's last owner: not run again", tp, offset);
                return false;
            }
        }
        inFlight.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
        return true;
    }

    /** From a run's thread (or the poll thread): the command at that offset finished; it may be committed past. */
    void finished(TopicPartition tp, long offset) {
        finished.add(Map.entry(tp, offset));
    }

    /** Whether the command at that offset still counts as not finished here (its partition is still owned). */
    boolean open(TopicPartition tp, long offset) {
        TreeSet<Long> set = inFlight.get(tp);
        return set != null && set.contains(offset);
    }

    /** Applies what runs told since the last poll. */
    void drainFinished() {
        Map.Entry<TopicPartition, Long> e;
        while ((e = finished.poll()) != null) {
            TreeSet<Long> set = inFlight.get(e.getKey());
            if (set != null) {
                set.remove(e.getValue());
            }
        }
    }

    /** The offset where reading at the head goes on (null before the first record). */
    Long next(TopicPartition tp) {
        return next.get(tp);
    }

    /** Newly assigned partitions: what their last owner committed as finished past its commit point. */
    void assigned(KafkaConsumer<String, byte[]> consumer, Collection<TopicPartition> parts) {
        if (parts.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> last;
        try {
            last = consumer.committed(new HashSet<>(parts), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // without it a redelivered finished command sends its end once more, which readers ignore
            LOG.warnf("could not read the committed offsets of %s (%s): commands finished by their last owner past"
                    + " its commit may send their ends again", parts, e.getMessage());
            return;
        }
        last.forEach((tp, om) -> {
            FinishedAhead ahead = om == null ? null : FinishedAhead.parse(om.offset(), om.metadata());
            if (ahead != null) {
                inherited.put(tp, ahead);
                LOG.infof("%s: its last owner finished commands up to offset %d past its commit at %d", tp,
                        ahead.limit(), om.offset());
            }
        });
    }

    /** Commits, per owned partition, up to its first unfinished command, with what finished past it. */
    void commit(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            OffsetAndMetadata om = position(tp);
            if (om != null && !om.equals(committed.get(tp))) {
                offsets.put(tp, om);
                committed.put(tp, om);
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (o, ex) -> {
                if (ex != null) {
                    LOG.debugf("offset commit failed (will retry): %s", ex.getMessage());
                    o.keySet().forEach(committed::remove);
                }
            });
        }
    }

    /** Partitions leave: their positions are committed at once and forgotten here. */
    void handOver(KafkaConsumer<String, byte[]> consumer, Collection<TopicPartition> parts) {
        drainFinished();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : parts) {
            OffsetAndMetadata om = position(tp);
            if (om != null) {
                offsets.put(tp, om);
            }
            inFlight.remove(tp);
            next.remove(tp);
            committed.remove(tp);
            inherited.remove(tp);
        }
        try {
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            LOG.debugf("commit on hand-over failed: %s", e.getMessage());
        }
    }

    /** The first unfinished offset (or where reading goes on), with what finished past it; null: nothing read. */
    private OffsetAndMetadata position(TopicPartition tp) {
        Long n = next.get(tp);
        if (n == null) {
            return null;
        }
        TreeSet<Long> open = inFlight.getOrDefault(tp, new TreeSet<>());
        if (open.isEmpty()) {
            return new OffsetAndMetadata(n);
        }
        return new OffsetAndMetadata(open.first(), FinishedAhead.encode(open, n));
    }
}
