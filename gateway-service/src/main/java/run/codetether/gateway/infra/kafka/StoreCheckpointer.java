package run.codetether.gateway.infra.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.TaskStore;

/**
 * Writes the task store's checkpoint on a thread of its own, at most once per interval, so the event reader never
 * waits for it. A checkpoint writes every pending task into the store's B-trees, commits the file and compresses
 * the pages it rewrote: on the reader it was 14-19 % of the gateway's CPU samples in the full path and, while it ran,
 * no event was folded and every waiting client waited (issue 18).
 *
 * <p>The invariant a restart relies on (the store never claims an offset whose tasks are not durably written) holds
 * because of the order of the hand-off: the reader hands over a partition's position only after it has put the
 * tasks of every event before it into the store ({@link TaskStore#put} returns once the store holds the version);
 * the checkpoint then writes, under the store's write lock and in one commit, everything the store holds and the
 * positions. A version put after the hand-off may go into the same commit: data ahead of its checkpoint is safe
 * (the tail after the checkpoint is folded again, each task skipping the offsets it has).
 *
 * <p>Bounded: positions are kept per partition (newest wins), and the store itself writes its pending tasks at a
 * put once too many wait, so a checkpoint that falls behind slows the reader's puts instead of growing the heap.
 */
final class StoreCheckpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreCheckpointer.class);

    private final TaskStore store;
    private final long everyNanos;
    private final Thread thread;
    /** Positions handed over and not checkpointed yet (guarded by this). */
    private final Map<String, Long> handed = new HashMap<>();
    /** How many hand-overs there were, and up to which one the store has checkpointed (guarded by this). */
    private long handedCount;
    private long savedCount;
    /** How many checkpoints were begun, and the number of the last that failed (guarded by this). */
    private long tries;
    private long failedTry;
    /** A hand-over that is not to wait for the interval (guarded by this). */
    private boolean urgent;
    /** False once closing (written under this). */
    private volatile boolean running = true;
    /** Whether the last {@link #saveNow} gave up on a checkpoint still being written (guarded by this). */
    private boolean stuck;
    /** Why the last checkpoint failed (null once one succeeds). */
    private volatile String failure;

    StoreCheckpointer(TaskStore store, Duration every, String name) {
        this.store = store;
        this.everyNanos = every.toNanos();
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Hands over the positions the reader has folded up to (newest per key wins); never waits for the store. */
    synchronized void offer(Map<String, Long> positions) {
        handed.putAll(positions);
        handedCount++;
        notifyAll();
    }

    /** As {@link #offer}, checkpointed as soon as the thread is free (not at the interval). */
    synchronized void offerNow(Map<String, Long> positions) {
        offer(positions);
        urgent = true;
    }

    /**
     * Checkpoints everything handed over so far at once and waits for it (a reader that stops).
     *
     * @return whether it was checkpointed within {@code timeout}; false at once when a checkpoint begun after this
     *     call fails (a later call tries again)
     */
    synchronized boolean saveNow(Duration timeout) throws InterruptedException {
        long target = handedCount;
        // a checkpoint begun after this call covers the target (one in progress now hands back what it took if it
        // fails, before the next begins): its failure is the answer, an earlier one's is not
        long begunBefore = tries;
        urgent = true;
        notifyAll();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (savedCount < target) {
            long left = deadline - System.nanoTime();
            if (failedTry > begunBefore || !thread.isAlive()) {
                return false;
            }
            if (left <= 0) {
                stuck = true; // close then waits only briefly for it
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Why the last checkpoint failed, while the next has not succeeded; or that the thread ended before close. */
    Optional<String> failure() {
        String f = failure;
        if (f == null && running && !thread.isAlive()) {
            f = "the task store's checkpoint thread ended: no checkpoint is written until the gateway restarts";
        }
        return Optional.ofNullable(f);
    }

    private void run() {
        try {
            checkpointUntilClosed();
        } catch (Throwable e) {
            // not expected (a checkpoint's own failures are caught below): said here rather than on stderr, and
            // failure() reports the thread's end (readiness DOWN)
            LOG.errorf(e, "the task store's checkpoint thread ended");
            synchronized (this) {
                notifyAll(); // a waiting saveNow answers
            }
        }
    }

    private void checkpointUntilClosed() {
        long last = System.nanoTime();
        while (true) {
            Map<String, Long> take;
            long count;
            long thisTry;
            synchronized (this) {
                try {
                    while (true) {
                        long due = last + everyNanos - System.nanoTime();
                        if (!handed.isEmpty() && (!running || urgent || due <= 0)) {
                            break;
                        }
                        if (handed.isEmpty() && !running) {
                            return;
                        }
                        if (handed.isEmpty() && urgent) {
                            savedCount = handedCount; // nothing new to save (a failed one is handed back)
                            urgent = false;
                            notifyAll();
                        }
                        wait(handed.isEmpty() ? 0 : Math.max(1, due / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                take = Map.copyOf(handed);
                handed.clear();
                count = handedCount;
                urgent = false;
                thisTry = ++tries;
            }
            last = System.nanoTime();
            try {
                store.checkpoint(take);
                failure = null;
                synchronized (this) {
                    savedCount = Math.max(savedCount, count);
                    stuck = false;
                    notifyAll();
                }
            } catch (Throwable e) {
                // an Error too (out of memory while it encodes the pending tasks): reported and retried, where
                // letting it end the thread would stop every later checkpoint with readiness still UP
                failure = "the task store's checkpoint failed: " + e;
                LOG.errorf("%s (retried at the next interval; a restart meanwhile folds the log from the last"
                        + " checkpoint that succeeded)", failure);
                synchronized (this) {
                    take.forEach(handed::putIfAbsent); // newer positions handed meanwhile win
                    failedTry = thisTry;
                    notifyAll();
                    if (!running) {
                        return; // closing: one try only
                    }
                }
            }
        }
    }

    /**
     * Checkpoints what is still handed over, then ends the thread. Waits up to 10 s for it, or 1 s when the last
     * {@link #saveNow} already gave up on a checkpoint still being written (a stuck disk: a stopping gateway has
     * waited for it once).
     */
    @Override
    public void close() {
        long waitMs;
        synchronized (this) {
            running = false;
            waitMs = stuck ? 1_000 : 10_000;
            notifyAll();
        }
        try {
            thread.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warnf("the task store's checkpoint thread did not end in %d ms: the last positions may not be saved"
                    + " (a restart folds the log from the last checkpoint)", waitMs);
        }
    }
}
