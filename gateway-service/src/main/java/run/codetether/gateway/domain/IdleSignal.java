package run.codetether.gateway.domain;

import java.time.Duration;

/**
 * Lets a reader with nothing to read sleep until something may have changed, instead of looking again every few
 * hundred milliseconds (issue 18: an idle gateway's paused readers woke 10-20 times a second to find nothing).
 * Whoever changes what the reader waits for {@link #ring rings}; {@link #close} releases every waiter for good.
 *
 * <p>No ring is lost: the waiter reads {@link #rings()} before it looks at its condition and passes that count to
 * {@link #await}, which returns at once when a ring came in between. Thread-safe.
 */
public final class IdleSignal {
    private final Object lock = new Object();
    private long rings;
    private boolean closed;

    /** How many times it rang so far: read before the condition, passed to {@link #await}. */
    public long rings() {
        synchronized (lock) {
            return rings;
        }
    }

    /** Something the waiter may want changed: it wakes. */
    public void ring() {
        synchronized (lock) {
            rings++;
            lock.notifyAll();
        }
    }

    /** Wakes every waiter, now and later: the reader stops. */
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    public boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Waits until a ring after {@code seen}, {@link #close}, or {@code max}.
     *
     * @return whether it rang (or closed) rather than timed out
     */
    public boolean await(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (rings == seen && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
