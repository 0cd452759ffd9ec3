package run.codetether.gateway.infra;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A start that may take minutes (the gateway's task state: a cold read of a million stored tasks), run on a platform
 * thread of its own so that nothing waits for it that need not: Quarkus' boot, its gRPC server's event loop and the
 * HTTP port go on, and readiness says what the start is doing ({@link #describe}). A start that fails is logged and
 * tried again after a growing pause (the task state's store keeps its checkpoint, so a cold read goes on where it
 * stopped); each try closes what it made before it failed.
 *
 * @param <T> what the start makes (closed by {@code close} when this is closed, also when it arrives after)
 */
public final class BackgroundStart<T> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackgroundStart.class);

    /** Where the start is; a sealed set, so readiness describes every case. */
    public sealed interface Phase permits NotBegun, Running, Failed, Started, Closed {}

    public record NotBegun() implements Phase {}

    /** The {@code attempt}-th try runs since {@code since}. */
    public record Running(int attempt, Instant since) implements Phase {}

    /** The {@code attempt}-th try failed; the next begins at {@code retryAt}. */
    public record Failed(int attempt, String failure, Instant retryAt) implements Phase {}

    public record Started(Duration took) implements Phase {}

    public record Closed() implements Phase {}

    private final String thread;
    private final Supplier<T> start;
    private final Consumer<T> close;
    private final Duration firstPause;
    private final Duration maxPause;
    private final CompletableFuture<T> started = new CompletableFuture<>();
    private final Object lock = new Object();
    private volatile Phase phase = new NotBegun();
    private Thread runner;

    /**
     * @param thread the start's thread name
     * @param start makes the thing or throws (having closed what it made)
     * @param close closes what a start made
     * @param firstPause the pause after the first failure, doubled after each further one up to {@code maxPause}
     */
    public BackgroundStart(String thread, Supplier<T> start, Consumer<T> close, Duration firstPause,
            Duration maxPause) {
        this.thread = thread;
        this.start = start;
        this.close = close;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
    }

    /** Begins the start on its thread, once (later calls do nothing; after {@link #close} neither does this). */
    public void begin() {
        synchronized (lock) {
            if (runner != null || phase instanceof Closed) {
                return;
            }
            runner = Thread.ofPlatform().name(thread).daemon().start(this::run);
        }
    }

    private void run() {
        long t0 = System.nanoTime();
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            if (!enter(new Running(attempt, Instant.now()))) {
                return;
            }
            T made;
            try {
                made = start.get();
            } catch (RuntimeException | Error e) {
                Instant retryAt = Instant.now().plus(pause);
                if (!enter(new Failed(attempt, String.valueOf(e), retryAt))) {
                    return;
                }
                LOG.errorf(e, "%s: try %d failed; trying again in %d ms", thread, attempt, pause.toMillis());
                if (!sleep(pause)) {
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
                continue;
            }
            if (!enter(new Started(Duration.ofNanos(System.nanoTime() - t0)))) {
                close.accept(made); // stopped while it started: what it made is closed here, not leaked
                return;
            }
            started.complete(made);
            return;
        }
    }

    /** Moves to {@code next} unless closed meanwhile. */
    private boolean enter(Phase next) {
        synchronized (lock) {
            if (phase instanceof Closed) {
                return false;
            }
            phase = next;
            return true;
        }
    }

    private boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            return false; // closed
        }
    }

    /** What the start made, once it has. */
    public Optional<T> now() {
        return Optional.ofNullable(started.getNow(null));
    }

    /** Completes with what the start made (never exceptionally: a failed try is tried again). */
    public CompletableFuture<T> started() {
        return started;
    }

    public Phase phase() {
        return phase;
    }

    /** The phase in words, for readiness and the refusals of calls that came too early. */
    public String describe() {
        return switch (phase) {
            case NotBegun n -> "not begun";
            case Running r -> "starting since " + r.since() + (r.attempt() > 1 ? " (try " + r.attempt() + ")" : "");
            case Failed f -> "try " + f.attempt() + " failed (" + f.failure() + "); trying again at " + f.retryAt();
            case Started s -> "started in " + s.took().toMillis() + " ms";
            case Closed c -> "stopped";
        };
    }

    /**
     * Stops retrying; what a start made is closed now or, when a try is still running (it is not interrupted: it
     * writes the store), when it ends.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            boolean waiting = phase instanceof Failed;
            phase = new Closed();
            t = waiting ? runner : null;
        }
        if (t != null) {
            t.interrupt(); // only its pause between tries
        }
        started.thenAccept(close);
    }
}
