package run.codetether.gateway.domain;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;

/** A listener that remembers the first terminal or interrupted state of its task (see {@link TaskEngine#awaitFinal}). */
public final class FinalState implements TaskListener {
    /**
     * Where a waiting caller continues once its task ended: a virtual thread of its own. Never the reader thread
     * (the caller's continuation encodes and writes the reply, and unsubscribes from the view the reader is folding
     * into), and not the common pool either: on a 2-core machine that is one thread, shared with every other async
     * stage of the process, so each blocking reply queued behind the ones finished in the same poll (issue 18).
     */
    static final Executor CONTINUE = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("task-ended-", 0).factory());

    private final CompletableFuture<Task> done = new CompletableFuture<>();

    @Override
    public void onEvent(TaskEvent event, Task after, long offset) {
        TaskState state = after.status().state();
        if (event instanceof TaskEvent.StatusChanged && (state.isTerminal() || state.isInterrupted())
                && !done.isDone()) {
            done.completeAsync(() -> after, CONTINUE);
        }
    }

    CompletableFuture<Task> done() {
        return done;
    }
}
