package run.codetether.gateway.domain.dashboard;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One dashboard client's pending changes: the ids of the tasks that changed since its last read, coalesced (a task
 * that changed ten times is sent once, as it stands). Bounded: past {@code maxPending} ids the subscriber is told to
 * reload the whole list instead, so a slow client costs a fixed amount of memory however fast tasks flow.
 */
public final class BoardSubscription {
    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private LinkedHashSet<String> pending = new LinkedHashSet<>();
    private boolean overflow;
    private boolean closed;

    BoardSubscription(int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1");
        }
        this.maxPending = maxPending;
    }

    /** What changed: the task ids in order of first change, or {@code reload} when too many changed. */
    public record Batch(List<String> taskIds, boolean reload) {
        public boolean isEmpty() {
            return taskIds.isEmpty() && !reload;
        }
    }

    void mark(Collection<String> ids) {
        lock.lock();
        try {
            if (!overflow) {
                pending.addAll(ids);
                if (pending.size() > maxPending) {
                    overflow = true;
                    pending = new LinkedHashSet<>();
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code wait} for a change and takes everything pending; an empty batch on time-out. */
    public Batch await(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (!closed && !overflow && pending.isEmpty() && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            Batch b = new Batch(List.copyOf(pending), overflow);
            pending = new LinkedHashSet<>();
            overflow = false;
            return b;
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
