package run.codetether.gateway.api.cognition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@code capacity} thought events in offset order, oldest dropped first, plus the offsets of the dropped
 * ones (bounded too) so a resuming client learns how many it can no longer get. Thread-safe.
 */
final class EventBuffer {
    private final int capacity;
    private final Deque<SequencedEvent> events = new ArrayDeque<>();
    private final Deque<Long> evicted = new ArrayDeque<>();
    private long evictedUncounted;

    EventBuffer(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    synchronized void add(SequencedEvent e) {
        events.addLast(e);
        while (events.size() > capacity) {
            evicted.addLast(events.removeFirst().offset());
            if (evicted.size() > 10L * capacity) {
                evicted.removeFirst();
                evictedUncounted++;
            }
        }
    }

    synchronized int size() {
        return events.size();
    }

    /** Events after {@code lastOffset}, and how many after it were already dropped. */
    synchronized Replay after(long lastOffset) {
        List<SequencedEvent> out = new ArrayList<>();
        for (SequencedEvent e : events) {
            if (e.offset() > lastOffset) {
                out.add(e);
            }
        }
        long lost = evicted.stream().filter(o -> o > lastOffset).count();
        if (!evicted.isEmpty() && evicted.peekFirst() > lastOffset) {
            lost += evictedUncounted;
        }
        return new Replay(out, lost);
    }

    record Replay(List<SequencedEvent> events, long lost) {}
}
