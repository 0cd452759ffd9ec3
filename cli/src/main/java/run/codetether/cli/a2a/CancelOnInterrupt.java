package run.codetether.cli.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Ctrl+C (or SIGTERM, SIGHUP) while a command streams the task it started: CancelTask for that task before the JVM
 * exits, and one line on standard error that says what came of it. Without it the task ran on with nobody watching
 * (the CLI ended, the agent went on spending tokens and changing the workspace). The launcher's watcher does the same
 * for a JVM that never started or was killed (SIGKILL runs no shutdown hook); a cancel done here tells the watcher
 * {@code done}, so the task is cancelled once.
 * <p>
 * The shutdown hook is registered with the first event that names the task, after the request: nothing of this runs
 * before {@code run}'s first request. A stream that ended (the task's end, input required, a failure reported)
 * cancels nothing.
 */
public final class CancelOnInterrupt implements AutoCloseable {
    /** How long the cancel may hold the exit: a gateway that accepted but does not answer must not hang Ctrl+C. */
    private static final long CANCEL_WAIT_SECONDS = 10;

    private final A2aClient client;
    private final PrintWriter err;
    private final AtomicReference<String> taskId = new AtomicReference<>();
    private volatile boolean ended;
    private Thread hook;

    public CancelOnInterrupt(A2aClient client, PrintWriter err) {
        this.client = client;
        this.err = err;
    }

    /** {@code onEvent}, learning the task's id from the first event that names it (and arming the cancel then). */
    public Predicate<JsonNode> watched(Predicate<JsonNode> onEvent) {
        return event -> {
            if (taskId.get() == null) {
                String id = LauncherRequest.taskIdOf(event);
                if (id != null && taskId.compareAndSet(null, id)) {
                    arm();
                }
            }
            return onEvent.test(event);
        };
    }

    private synchronized void arm() {
        if (ended || hook != null) {
            return;
        }
        hook = new Thread(this::cancel, "cancel-on-interrupt");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already going down: cancel from here, the hooks that run are fixed by now
            cancel();
        }
    }

    /** The stream is over (the task ended, waits for input, or the failure was reported): nothing to cancel. */
    @Override
    public synchronized void close() {
        ended = true;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already, and sees ended
            }
        }
    }

    private void cancel() {
        String id = taskId.get();
        if (ended || id == null) {
            return;
        }
        String[] outcome = {null};
        Thread call = Thread.ofPlatform().daemon().name("cancel-task").start(() -> {
            try {
                client.call("CancelTask", client.json().createObjectNode().put("id", id));
                outcome[0] = "was cancelled";
            } catch (A2aClient.A2aException refused) {
                outcome[0] = "could not be cancelled (the gateway: " + refused.getMessage() + ")";
            } catch (Exception e) {
                outcome[0] = "could not be cancelled (" + e.getMessage() + ")";
            }
        });
        try {
            call.join(TimeUnit.SECONDS.toMillis(CANCEL_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String result = outcome[0];
        if (result == null) {
            result = "could not be cancelled (no answer from the gateway within " + CANCEL_WAIT_SECONDS + " s)";
        }
        boolean cancelled = result.startsWith("was cancelled");
        err.println("codetether: interrupted: task " + id + " " + result
                + (cancelled ? "; codetether get " + id + " shows it" : "; codetether cancel " + id + " cancels it"));
        err.flush();
        if (cancelled) {
            // the launcher's watcher (the early request's) has nothing left to cancel
            LauncherRequest.released();
        }
    }
}
