package run.codetether.gateway.domain.handler;

import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ResponseLimits;
import run.codetether.gateway.domain.TaskListener;

/**
 * Relays one task's events to a sink, in log order: first the task, then each later event once. Events that arrive
 * before the first item is known are held back; events at or before the first item's offset are already in it and
 * are dropped. The stream ends after a terminal or interrupted status (the last event of a run), or early with a
 * retryable error ({@link #abort}) when it cannot go on: the client then resubscribes instead of seeing a cut.
 *
 * <p>Every item is within the response limits: the first is the task as GetTask shows it, a later item's parts are
 * cut to the size cap with a marker.
 */
final class StreamRelay implements TaskListener {
    private record Held(TaskEvent event, Task after, long offset) {}

    private final StreamSink sink;
    private final ResponseLimits limits;
    private final List<Held> held = new ArrayList<>();
    private boolean started;
    private boolean ended;
    private long skipUpTo;
    private String taskId;

    StreamRelay(StreamSink sink, ResponseLimits limits) {
        this.sink = sink;
        this.limits = limits;
    }

    synchronized void start(Task first, long firstOffset) {
        started = true;
        skipUpTo = firstOffset;
        taskId = first.id();
        send(new StreamEvent.TaskSnapshot(limits.shown(first, null)));
        for (Held h : held) {
            relay(h.event(), h.after(), h.offset());
        }
        held.clear();
    }

    @Override
    public synchronized void onEvent(TaskEvent event, Task after, long offset) {
        if (!started) {
            held.add(new Held(event, after, offset));
            return;
        }
        relay(event, after, offset);
    }

    @Override
    public void onRemoved(String removedId) {
        abort(A2AException.streamEnded(removedId, "evicted", "Task " + removedId + " left this gateway's view "
                + "before it ended; read it with GetTask or resubscribe (SubscribeToTask)", 1));
    }

    /** Ends the stream early with {@code reason} (a retryable error item), unless it has ended already. */
    void abort(A2AException reason) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        // outside this relay's lock: the sink's close actions unsubscribe from the view, whose fold holds the
        // view's lock while it calls onEvent (this lock); the opposite order would deadlock
        sink.abort(reason);
    }

    /** The task this relay streams (null before it started). */
    synchronized String taskId() {
        return taskId;
    }

    private void relay(TaskEvent event, Task after, long offset) {
        if (ended || offset <= skipUpTo) {
            return;
        }
        StreamEvent.items(event, after).stream().map(this::capped).forEach(this::send);
        if (!ended && event instanceof TaskEvent.StatusChanged
                && (after.status().state().isTerminal() || after.status().state().isInterrupted())) {
            ended = true;
            sink.end();
        }
    }

    /** A later item's parts within the size cap (an artifact chunk or a status message can be large too). */
    private StreamEvent capped(StreamEvent item) {
        return switch (item) {
            case StreamEvent.ArtifactUpdate a -> {
                List<Part> parts = a.artifact().parts().stream().map(limits::capped).toList();
                Artifact art = a.artifact();
                yield parts.equals(art.parts()) ? a : new StreamEvent.ArtifactUpdate(a.taskId(), a.contextId(),
                        new Artifact(art.artifactId(), art.name(), art.description(), parts, art.extensions(),
                                art.metadata()), a.append(), a.lastChunk());
            }
            case StreamEvent.StatusUpdate s when s.status().message() != null -> {
                Message m = s.status().message();
                List<Part> parts = m.parts().stream().map(limits::capped).toList();
                yield parts.equals(m.parts()) ? s : new StreamEvent.StatusUpdate(s.taskId(), s.contextId(),
                        new TaskStatus(s.status().state(), new Message(m.messageId(), m.role(), parts, m.contextId(),
                                m.taskId(), m.referenceTaskIds(), m.extensions(), m.metadata()),
                                s.status().timestamp()), s.metadata(), s.last());
            }
            default -> item;
        };
    }

    private void send(StreamEvent item) {
        if (ended) {
            return;
        }
        try {
            sink.send(item);
        } catch (RuntimeException e) {
            ended = true;
            sink.end(); // the client sees the stream end and can GetTask; never a half-written event
            throw e;
        }
    }
}
