package run.codetether.gateway.api.cognition;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SSE client's queue. When the client falls behind and the queue is full, new events are dropped and counted;
 * the next item the client gets is a {@link Item.Lag} with that count, as the original's {@code lag} event
 * ("skipped N"). Producer side is thread-safe.
 */
final class Subscription {
    private final BlockingQueue<SequencedEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    Subscription(int capacity) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    sealed interface Item {
        record Event(SequencedEvent event) implements Item {}

        record Lag(long skipped) implements Item {}

        record KeepAlive() implements Item {}
    }

    void offer(SequencedEvent e) {
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    /** Reports events lost before the client connected (its resume point was evicted). */
    void lost(long count) {
        dropped.addAndGet(count);
    }

    /** The next item: a pending lag first, then an event, or a keep-alive after {@code idle} without one. */
    Item next(Duration idle) throws InterruptedException {
        long skipped = dropped.getAndSet(0);
        if (skipped > 0) {
            return new Item.Lag(skipped);
        }
        SequencedEvent e = queue.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
        if (e != null) {
            return new Item.Event(e);
        }
        skipped = dropped.getAndSet(0);
        return skipped > 0 ? new Item.Lag(skipped) : new Item.KeepAlive();
    }

    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
