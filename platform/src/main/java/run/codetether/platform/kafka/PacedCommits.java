package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets a loop may commit, sent at most once per interval ({@code codetether.kafka.commit-interval}) instead of
 * after every batch: each commit writes one {@code __consumer_offsets} record per partition it names, and under load
 * the per-batch commits of a few readers were 2-5 records per task (issue 18). For readers whose re-read is harmless
 * (a fold that skips what it has, deliveries the receiver dedupes): a crash re-reads at most one interval more.
 * What a loop must not re-read it commits at once with {@link #takeAll()} (revocation, stop). Not thread-safe: the
 * loop thread's.
 */
public final class PacedCommits {
    private final long intervalNanos;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private long lastNanos;

    /** @param interval the least time between two commits; zero commits whatever was added at every take */
    public PacedCommits(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("codetether.kafka.commit-interval must be >= 0, not " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.lastNanos = System.nanoTime() - intervalNanos;
    }

    /** Positions reached (a later one of a partition replaces the earlier). */
    public void add(Map<TopicPartition, OffsetAndMetadata> offsets) {
        pending.putAll(offsets);
    }

    /** What to commit now: everything added when the interval since the last take passed, else nothing. */
    public Map<TopicPartition, OffsetAndMetadata> takeIfDue() {
        return takeIfDue(System.nanoTime());
    }

    Map<TopicPartition, OffsetAndMetadata> takeIfDue(long nowNanos) {
        if (pending.isEmpty() || nowNanos - lastNanos < intervalNanos) {
            return Map.of();
        }
        lastNanos = nowNanos;
        return drain();
    }

    /** Everything added and not taken yet, whatever the interval (revocation, stop). */
    public Map<TopicPartition, OffsetAndMetadata> takeAll() {
        if (pending.isEmpty()) {
            return Map.of();
        }
        lastNanos = System.nanoTime();
        return drain();
    }

    /** Partitions that left: their pending offsets are another owner's business now. */
    public void forget(Collection<TopicPartition> parts) {
        parts.forEach(pending::remove);
    }

    private Map<TopicPartition, OffsetAndMetadata> drain() {
        Map<TopicPartition, OffsetAndMetadata> out = Map.copyOf(pending);
        pending.clear();
        return out;
    }
}
