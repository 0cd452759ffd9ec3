package run.codetether.agent.domain.loop;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The chunks of one run's answer artifact (issue 18): when the text a model writes goes out, and which text the
 * artifact holds as streamed, so that the finished answer closes it with only the rest instead of repeating it.
 *
 * <p>A chunk goes out at the first text of a model turn, then when {@code every} has passed since the last chunk or
 * when {@link #FLUSH_CHARS} are waiting, whichever comes first: a slow model still streams live (one chunk per
 * {@code every}), a fast one writes few large chunks, since every chunk record carries about 450 bytes of ids and
 * flags on {@code tasks.events} whatever its text. Thread-safe: the provider's streaming thread offers text, the
 * run's thread reads the rest at the end.
 */
final class AnswerStream {
    /**
     * Waiting characters that send a chunk before {@code every} passed: at 2,048 the fixed part of a record is at
     * most a fifth of the chunk's bytes, and a client still gets a screenful at a time.
     */
    static final int FLUSH_CHARS = 2048;

    /** A chunk to send: its text and how many characters of this turn's text came before it. */
    record Chunk(String text, long offset) {}

    private final Duration every;
    private final LongSupplier nanoClock;
    private final StringBuilder pending = new StringBuilder();
    /** The text the answer artifact holds from this run's chunks: the chunks since the last one at offset 0. */
    private final StringBuilder held = new StringBuilder();
    /** Characters of this turn's text already sent. */
    private long sent;
    private long lastChunk;
    private boolean chunked;

    AnswerStream(Duration every, LongSupplier nanoClock) {
        this.every = every;
        this.nanoClock = nanoClock;
    }

    /** A model turn starts: its first chunk will replace what the artifact holds. */
    synchronized void newTurn() {
        pending.setLength(0);
        sent = 0;
        chunked = false;
    }

    /** Text the model wrote; the chunk to send now, or null while it waits for more. */
    synchronized Chunk offer(String delta) {
        pending.append(delta);
        if (pending.isEmpty()) {
            return null;
        }
        long now = nanoClock.getAsLong();
        if (chunked && pending.length() < FLUSH_CHARS && now - lastChunk < every.toNanos()) {
            return null;
        }
        Chunk chunk = new Chunk(pending.toString(), sent);
        if (sent == 0) {
            held.setLength(0);
        }
        held.append(pending);
        sent += pending.length();
        pending.setLength(0);
        lastChunk = now;
        chunked = true;
        return chunk;
    }

    /** The finished answer's last chunk: the text after the {@code offset} characters the artifact holds. */
    record Closing(String rest, long offset) {}

    /**
     * How the finished answer closes the streamed text, or null when it does not continue what the artifact holds
     * (nothing streamed, or an earlier turn's text that the answer does not start with): then it goes whole.
     */
    synchronized Closing closing(String finished) {
        if (held.isEmpty() || !finished.startsWith(held.toString())) {
            return null;
        }
        return new Closing(finished.substring(held.length()), held.length());
    }
}
