package run.codetether.gateway.api.mcp;

import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.ToolCallException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/**
 * A task's stream turned into MCP progress notifications (state and the status text, one step per update) for
 * codetether_run, and the end of the stream as the moment the tool answers.
 */
final class McpProgressSink implements StreamSink {
    /** A run that outlives this is answered with its task id (the task goes on; codetether_get_task follows it). */
    static final long MAX_WAIT_MINUTES = 60;

    private final Progress progress;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final AtomicInteger steps = new AtomicInteger();
    private volatile String taskId;

    McpProgressSink(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void send(StreamEvent event) {
        taskId = event.taskId();
        if (progress == null || progress.token().isEmpty()) {
            return;
        }
        String message = switch (event) {
            case StreamEvent.TaskSnapshot s -> "task " + s.task().id() + " " + s.task().status().state().name();
            case StreamEvent.StatusUpdate u -> u.status().state().name()
                    + (u.status().message() == null ? "" : ": " + tail(u.status().message().text()));
            case StreamEvent.ArtifactUpdate a -> "artifact " + a.artifact().name();
        };
        progress.notificationBuilder().setProgress(steps.incrementAndGet()).setMessage(message).build().sendAndForget();
    }

    @Override
    public void end() {
        ended.complete(taskId);
    }

    @Override
    public void onClose(Runnable action) {
        ended.whenComplete((id, err) -> action.run());
    }

    String awaitEnd() {
        try {
            return ended.get(MAX_WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new ToolCallException("task " + taskId + " still runs after " + MAX_WAIT_MINUTES
                    + " minutes; follow it with codetether_get_task");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolCallException("interrupted while task " + taskId + " runs");
        } catch (ExecutionException e) {
            throw CodetetherMcpTools.refusal(e.getCause());
        }
    }

    static TaskState state(String wire) {
        String name = wire.trim().toUpperCase().replace('-', '_');
        name = name.startsWith("TASK_STATE_") ? name.substring("TASK_STATE_".length()) : name;
        try {
            return TaskState.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ToolCallException("unknown task state '" + wire + "'");
        }
    }

    private static String tail(String text) {
        return text.length() <= 200 ? text : "…" + text.substring(text.length() - 200);
    }
}
