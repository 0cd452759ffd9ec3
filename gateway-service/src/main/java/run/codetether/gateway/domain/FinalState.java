package run.codetether.gateway.domain;

import java.util.concurrent.CompletableFuture;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;

/** A listener that remembers the first terminal or interrupted state of its task (see {@link TaskEngine#awaitFinal}). */
public final class FinalState implements TaskListener {
    private final CompletableFuture<Task> done = new CompletableFuture<>();

    @Override
    public void onEvent(TaskEvent event, Task after, long offset) {
        TaskState state = after.status().state();
        if (event instanceof TaskEvent.StatusChanged && (state.isTerminal() || state.isInterrupted())) {
            done.completeAsync(() -> after); // never run the caller's continuation on the reader thread
        }
    }

    CompletableFuture<Task> done() {
        return done;
    }
}
