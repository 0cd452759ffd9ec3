package run.codetether.agent.domain.loop;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.port.Scheduler;

/**
 * The chunks of one run's answer artifact (issue 18): when the text a model writes goes out, and which text the
 * artifact holds as streamed, so that the finished answer closes it with only the rest instead of repeating it.
 *
 * <p>A turn's first chunk is held for {@code hold} after its first text: a short answer usually finishes within
 * that, and then goes out only in the final status (one {@code tasks.events} record less per task, which the broker
 * stores and every reader decodes and folds). Held text goes out when the hold expires (a {@link Scheduler} timer),
 * at once when {@link #FLUSH_CHARS} are waiting, and before any other event of the run ({@link #flush}: a tool
 * call's update or a failure never overtakes the text before it). After the first chunk, one goes out when
 * {@code every} has passed since the last or when {@link #FLUSH_CHARS} are waiting, whichever comes first: a slow
 * model still streams live, a fast one writes few large chunks, since every chunk record carries about 450 bytes of
 * ids and flags whatever its text.
 *
 * <p>Chunks are published under this stream's lock, by whichever thread makes one due (the provider's streaming
 * thread, the timer, the run's thread): so they go out in order, and once {@link #end} returned none follows, which
 * keeps every chunk ahead of the task's final event on its partition. Thread-safe.
 */
final class AnswerStream {
    private static final Logger LOG = Logger.getLogger(AnswerStream.class);

    /**
     * Waiting characters that send a chunk before {@code every} passed: at 2,048 the fixed part of a record is at
     * most a fifth of the chunk's bytes, and a client still gets a screenful at a time.
     */
    static final int FLUSH_CHARS = 2048;

    /** A chunk to send: its text and how many characters of this turn's text came before it. */
    record Chunk(String text, long offset) {}

    private final Duration every;
    private final Duration hold;
    private final LongSupplier nanoClock;
    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final StringBuilder pending = new StringBuilder();
    /** The text the answer artifact holds from this run's chunks: the chunks since the last one at offset 0. */
    private final StringBuilder held = new StringBuilder();
    /** Publishes this turn's chunks; null before the first turn. */
    private Consumer<Chunk> out;
    /** Characters of this turn's text already sent. */
    private long sent;
    private long lastChunk;
    private long firstText;
    private boolean chunked;
    /** Turns begun: a timer armed in an earlier turn does nothing. */
    private int turn;
    private Scheduler.Scheduled armed;
    /** The run's end is being published: nothing more goes out. */
    private boolean ended;

    AnswerStream(Duration every, Duration hold, LongSupplier nanoClock, Scheduler scheduler) {
        this.every = every;
        this.hold = hold;
        this.nanoClock = nanoClock;
        this.scheduler = scheduler;
    }

    /**
     * A model turn starts: its chunks go to {@code out} (called under this stream's lock), and its first chunk will
     * replace what the artifact holds. Text still held from the turn before goes out first.
     */
    void newTurn(Consumer<Chunk> out) {
        lock.lock();
        try {
            sendPending();
            disarm();
            this.out = out;
            pending.setLength(0);
            sent = 0;
            chunked = false;
            turn++;
        } finally {
            lock.unlock();
        }
    }

    /** Text the model wrote: sent now when due, else held until it is. */
    void offer(String delta) {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            pending.append(delta);
            if (pending.isEmpty()) {
                return;
            }
            long now = nanoClock.getAsLong();
            if (!chunked) {
                if (pending.length() == delta.length()) {
                    firstText = now; // the turn's first text: its hold starts
                }
                long waited = now - firstText;
                if (hold.isZero() || pending.length() >= FLUSH_CHARS || waited >= hold.toNanos()) {
                    send(now);
                } else if (armed == null) {
                    int armedTurn = turn;
                    armed = scheduler.after(hold.minusNanos(waited), () -> expire(armedTurn));
                }
                return;
            }
            if (pending.length() >= FLUSH_CHARS || now - lastChunk >= every.toNanos()) {
                send(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The hold of turn {@code armedTurn}'s first chunk expired: it goes out unless something came first. */
    private void expire(int armedTurn) {
        lock.lock();
        try {
            if (ended || armedTurn != turn) {
                return;
            }
            armed = null;
            if (!chunked) {
                sendPending();
            }
        } catch (TaskRun.Stop e) {
            // handed over: the run publishes nothing more, and the next owner runs the turn again
        } catch (RuntimeException e) {
            LOG.warnf("a held answer chunk was not published (%s); it goes with the run's next event", e.toString());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The run publishes another event: the text waiting goes out before it. Called on every event but chunks, so
     * that nothing the model wrote is overtaken (a tool call's update, a failure, a question).
     */
    void flush() {
        lock.lock();
        try {
            if (!ended) {
                sendPending();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The run's final event follows: with {@code keep}, the text waiting goes out first (a failure or a cancel:
     * what the model wrote stays shown); without, it is dropped, as the final status carries the answer whole or
     * its rest ({@link #closing}). Nothing goes out afterwards, also not when a timer fires late.
     */
    void end(boolean keep) {
        lock.lock();
        try {
            if (keep && !ended) {
                sendPending();
            }
            ended = true;
            disarm();
            pending.setLength(0);
        } finally {
            lock.unlock();
        }
    }

    private void sendPending() {
        if (out != null && !pending.isEmpty()) {
            send(nanoClock.getAsLong());
        }
    }

    /** Publishes the waiting text; only once that returned does it count as streamed (a failed publish keeps it). */
    private void send(long now) {
        Chunk chunk = new Chunk(pending.toString(), sent);
        out.accept(chunk);
        disarm();
        if (sent == 0) {
            held.setLength(0);
        }
        held.append(pending);
        sent += pending.length();
        pending.setLength(0);
        lastChunk = now;
        chunked = true;
    }

    private void disarm() {
        if (armed != null) {
            armed.cancel();
            armed = null;
        }
    }

    /** The finished answer's last chunk: the text after the {@code offset} characters the artifact holds. */
    record Closing(String rest, long offset) {}

    /**
     * How the finished answer closes the streamed text, or null when it does not continue what the artifact holds
     * (nothing streamed, or an earlier turn's text that the answer does not start with): then it goes whole.
     */
    Closing closing(String finished) {
        lock.lock();
        try {
            if (held.isEmpty() || !finished.startsWith(held.toString())) {
                return null;
            }
            return new Closing(finished.substring(held.length()), held.length());
        } finally {
            lock.unlock();
        }
    }
}
