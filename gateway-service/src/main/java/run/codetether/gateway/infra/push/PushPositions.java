package run.codetether.gateway.infra.push;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import run.codetether.platform.kafka.PacedCommits;

/**
 * Where the push reader's group may resume, per partition of tasks.events: the events it read, those whose
 * deliveries have not all settled (acknowledged, refused with a 4xx, out of retries, or dropped because the queue was
 * full), and those settled beyond the first unsettled one. The group's position is committed only up to the first
 * event not settled, so a gateway restart resumes deliveries instead of losing them; the events settled beyond it
 * go into the commit's metadata ({@link SettledOffsets}), and the partition's next reader skips them instead of
 * delivering them again. Used by the reader's thread, but for the settling of a delivery (any thread).
 */
final class PushPositions {
    private static final Logger LOG = Logger.getLogger(PushPositions.class);

    private final KafkaConsumer<String, byte[]> consumer;
    /** Offsets handed over by {@link #commit}, sent at most once per interval (loop thread only). */
    private final PacedCommits paced;
    /** Per partition: offsets of events whose deliveries are not all settled, with how many remain. */
    private final Map<TopicPartition, ConcurrentSkipListMap<Long, AtomicInteger>> unsettled = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> polled = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, String> committedMetadata = new HashMap<>();
    /**
     * Per partition: offsets of events whose deliveries all settled, above the committed position (an earlier
     * event still unsettled holds the position back); from the commit metadata after an assignment, skipped then.
     */
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> settled = new ConcurrentHashMap<>();

    PushPositions(KafkaConsumer<String, byte[]> consumer, PacedCommits paced) {
        this.consumer = consumer;
        this.paced = paced;
    }

    /** The reader is at {@code next} in the partition (read up to there, or skipped to there). */
    void polled(TopicPartition tp, long next) {
        polled.put(tp, next);
    }

    /** Whether an earlier reader of the partition settled the event's deliveries (its commit metadata said so). */
    boolean settledEarlier(TopicPartition tp, long offset) {
        ConcurrentSkipListSet<Long> done = settled.get(tp);
        return done != null && done.contains(offset);
    }

    /**
     * The event at {@code offset} has {@code deliveries} deliveries on their way: the returned action is run once per
     * delivery as it settles (on any thread); the event counts as settled after the last.
     */
    Runnable open(TopicPartition tp, long offset, int deliveries) {
        AtomicInteger remaining = new AtomicInteger(deliveries);
        ConcurrentSkipListMap<Long, AtomicInteger> open = unsettled.computeIfAbsent(tp,
                k -> new ConcurrentSkipListMap<>());
        ConcurrentSkipListSet<Long> done = settled.computeIfAbsent(tp, k -> new ConcurrentSkipListSet<>());
        open.put(offset, remaining);
        return () -> {
            if (remaining.decrementAndGet() == 0) {
                done.add(offset); // before it leaves the open ones: a commit never misses it
                open.remove(offset);
            }
        };
    }

    /** The settled offsets the partitions' last readers committed beside their positions (see {@link #commit}). */
    void readSettled(Collection<TopicPartition> parts) {
        Map<TopicPartition, OffsetAndMetadata> last;
        try {
            last = consumer.committed(Set.copyOf(parts), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // only duplicates are at stake: what settled beyond the position is delivered again (same ids)
            LOG.warnf("push: could not read what the last reader settled (%s); its later deliveries may repeat",
                    e.toString());
            return;
        }
        last.forEach((tp, om) -> {
            if (om != null) {
                ConcurrentSkipListSet<Long> done = SettledOffsets.decode(om.offset(), om.metadata());
                if (!done.isEmpty()) {
                    settled.put(tp, done);
                }
            }
        });
    }

    /** Forgets revoked partitions (after what settled was committed): their next owner delivers the rest. */
    void revoked(Collection<TopicPartition> parts) {
        parts.forEach(tp -> {
            unsettled.remove(tp);
            polled.remove(tp);
            committed.remove(tp);
            committedMetadata.remove(tp);
            settled.remove(tp);
        });
    }

    /**
     * Commits, per partition, up to the first event not settled yet (or all that was polled), with the events
     * settled beyond that in the metadata (the same request: no second write per delivery): at once when
     * {@code now} (revocation, stop), else at most once per {@code codetether.kafka.commit-interval} (a commit per
     * batch wrote a {@code __consumer_offsets} record per partition every few events, issue 18). A crash delivers at
     * most that interval's settled notifications again, under their first ids ({@link PushDispatcher#deliveryId}).
     */
    void commit(boolean now) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        polled.forEach((tp, next) -> {
            ConcurrentSkipListMap<Long, AtomicInteger> open = unsettled.get(tp);
            Long first = open == null ? null : open.isEmpty() ? null : open.firstKey();
            long upTo = first == null ? next : Math.min(first, next);
            ConcurrentSkipListSet<Long> done = settled.get(tp);
            String metadata = "";
            if (done != null) {
                done.headSet(upTo).clear(); // behind the position: never read again by this group
                metadata = SettledOffsets.encode(upTo, done);
            }
            if (!Long.valueOf(upTo).equals(committed.get(tp)) || !metadata.equals(committedMetadata.get(tp))) {
                commit.put(tp, new OffsetAndMetadata(upTo, metadata));
                committed.put(tp, upTo);
                committedMetadata.put(tp, metadata);
            }
        });
        paced.add(commit);
        Map<TopicPartition, OffsetAndMetadata> send = now ? paced.takeAll() : paced.takeIfDue();
        if (!send.isEmpty()) {
            consumer.commitAsync(send, (offsets, err) -> {
                if (err != null) {
                    LOG.debugf("push: commit failed (a rebalance?): %s", err.toString());
                }
            });
        }
    }
}
