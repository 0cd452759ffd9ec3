package run.codetether.gateway.domain.dashboard;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import run.codetether.gateway.domain.IdleSignal;

/**
 * Whether anyone looks at this replica's dashboard, so that its feed reads no task events while nobody does (issue
 * 18: decoding every event cost the gateway about 5% of its CPU per task with no page open). A request or an open
 * stream counts as watching; {@code idleAfter} without either makes the board idle, and so is a replica that
 * nobody watched since it started. The feed pauses while idle, and
 * when a viewer comes back it catches the board up (from the task store) before the viewer's request is answered:
 * {@link #awaitCurrent} waits for that, bounded.
 *
 * <p>Thread-safe.
 */
public final class BoardWatchers {
    private final long idleAfterMillis;
    private final IntSupplier openStreams;
    private final LongSupplier clockMillis;
    private final Object lock = new Object();
    /** Rung by every request, so that a paused feed sleeps until one comes instead of looking twice a second. */
    private final IdleSignal viewers = new IdleSignal();
    private volatile long lastSeen;
    /** Whether the feed skipped events since it paused and has not caught up yet (guarded by lock). */
    private boolean behind;

    /**
     * @param idleAfter how long without a request or open stream makes the board idle; zero: never idle
     * @param openStreams how many live streams are open (the board's subscribers)
     */
    public BoardWatchers(Duration idleAfter, IntSupplier openStreams, LongSupplier clockMillis) {
        if (idleAfter.isNegative()) {
            throw new IllegalArgumentException("idleAfter must not be negative: " + idleAfter);
        }
        this.idleAfterMillis = idleAfter.toMillis();
        this.openStreams = openStreams;
        this.clockMillis = clockMillis;
        // a replica starts unwatched: its feed starts paused and replays nothing until a first viewer comes (a
        // gateway nobody looks at decoded every event for its first idleAfter, issue 18)
        this.lastSeen = clockMillis.getAsLong() - idleAfterMillis;
    }

    /** A dashboard request arrived. */
    public void seen() {
        lastSeen = clockMillis.getAsLong();
        viewers.ring();
    }

    /**
     * The paused feed's wait (issue 18): returns once someone watches (a request came), after {@code max}, or at
     * once after {@link #stopWaiting}. A stream opens after its request's {@link #seen}, so a request is what ends
     * an idle spell; {@code max} only bounds the wait.
     *
     * @return whether the board is watched now
     */
    public boolean awaitWatched(Duration max) throws InterruptedException {
        long rang = viewers.rings();
        if (!idle() || viewers.closed()) {
            return !idle();
        }
        viewers.await(rang, max);
        return !idle();
    }

    /** The feed stops: its wait returns now and never waits again. */
    public void stopWaiting() {
        viewers.close();
    }

    /** Whether the feed may stop reading: nobody asked for {@code idleAfter} and no stream is open. */
    public boolean idle() {
        return idleAfterMillis > 0 && openStreams.getAsInt() == 0
                && clockMillis.getAsLong() - lastSeen >= idleAfterMillis;
    }

    /** The feed stopped reading: until {@link #caughtUp}, requests wait for it. */
    public void paused() {
        synchronized (lock) {
            behind = true;
        }
    }

    /** The feed caught the board up and reads again. */
    public void caughtUp() {
        synchronized (lock) {
            behind = false;
            lock.notifyAll();
        }
    }

    /** Whether the board misses what happened while the feed was paused. */
    public boolean behind() {
        synchronized (lock) {
            return behind;
        }
    }

    /**
     * Waits until the board is caught up, at most {@code max} (past it the request is answered from the board as it
     * is: a shorter or older list, never an error). Returns whether the board is current.
     */
    public boolean awaitCurrent(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (behind) {
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
