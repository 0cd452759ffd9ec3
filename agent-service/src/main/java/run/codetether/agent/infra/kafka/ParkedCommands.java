package run.codetether.agent.infra.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Commands the task intake read past while its buffer was full, kept by offset only (their records are read again
 * when there is room): a flood deeper than the buffer no longer hides another tenant's command behind it in the
 * partition (issue 19). Per partition, the parked offsets with their tenant and context, and the replay in progress:
 * the intake seeks back to the lowest parked offset and reads up to where it was, taking only parked records. Not
 * thread-safe: the intake uses it under its lock (its poll thread, and a run that ended handing its slot on).
 */
final class ParkedCommands {
    /** Who a parked command belongs to: the same tenant and context keep their later commands parked behind it. */
    record Owner(String tenant, String contextId) {}

    private final Map<TopicPartition, TreeMap<Long, Owner>> byPartition = new HashMap<>();
    private final Map<String, Integer> tenants = new HashMap<>();
    private final Map<String, Integer> contexts = new HashMap<>();
    /** Per partition being replayed, the offset where reading at the head resumes. */
    private final Map<TopicPartition, Long> replayUntil = new HashMap<>();
    private int size;

    void park(TopicPartition tp, long offset, String tenant, String contextId) {
        Owner owner = new Owner(key(tenant), contextId);
        if (byPartition.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, owner) == null) {
            size++;
            tenants.merge(owner.tenant(), 1, Integer::sum);
            if (contextId != null) {
                contexts.merge(contextId, 1, Integer::sum);
            }
        }
    }

    /** Takes a parked offset out (it goes to the buffer); null when it was not parked (handled at the head). */
    Owner unpark(TopicPartition tp, long offset) {
        TreeMap<Long, Owner> parked = byPartition.get(tp);
        Owner owner = parked == null ? null : parked.remove(offset);
        if (owner != null) {
            forget(owner);
        }
        return owner;
    }

    /** Whether a command of this tenant or context is parked (a later one of theirs must wait behind it). */
    boolean holds(String tenant, String contextId) {
        return tenants.containsKey(key(tenant)) || (contextId != null && contexts.containsKey(contextId));
    }

    /** The lowest parked offset of a partition not being replayed already, or null. */
    Long replayFrom(TopicPartition tp) {
        TreeMap<Long, Owner> parked = byPartition.get(tp);
        return parked == null || parked.isEmpty() || replayUntil.containsKey(tp) ? null : parked.firstKey();
    }

    void replaying(TopicPartition tp, long until) {
        replayUntil.put(tp, until);
    }

    /** Where the replay of this partition ends, or null when none runs. */
    Long replayUntil(TopicPartition tp) {
        return replayUntil.get(tp);
    }

    void replayed(TopicPartition tp) {
        replayUntil.remove(tp);
    }

    /** The partitions left this worker: their parked commands are the next owner's (never committed past). */
    void drop(Collection<TopicPartition> parts) {
        for (TopicPartition tp : parts) {
            replayUntil.remove(tp);
            TreeMap<Long, Owner> parked = byPartition.remove(tp);
            if (parked != null) {
                parked.values().forEach(this::forget);
            }
        }
    }

    int size() {
        return size;
    }

    private void forget(Owner owner) {
        size--;
        tenants.computeIfPresent(owner.tenant(), (k, n) -> n == 1 ? null : n - 1);
        if (owner.contextId() != null) {
            contexts.computeIfPresent(owner.contextId(), (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private static String key(String tenant) {
        return tenant == null ? "" : tenant;
    }
}
