package run.codetether.gateway.domain.handler;

import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.TaskListener;

/**
 * Relays one task's events to a sink, in log order: first the task, then each later event once. Events that arrive
 * before the first item is known are held back; events at or before the first item's offset are already in it and
 * are dropped. The stream ends after a terminal or interrupted status (the last event of a run).
 */
final class StreamRelay implements TaskListener {
    private record Held(TaskEvent event, Task after, long offset) {}

    private final StreamSink sink;
    private final List<Held> held = new ArrayList<>();
    private boolean started;
    private boolean ended;
    private long skipUpTo;

    StreamRelay(StreamSink sink) {
        this.sink = sink;
    }

    synchronized void start(Task first, long firstOffset) {
        started = true;
        skipUpTo = firstOffset;
        send(StreamEvent.snapshot(first));
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

    private void relay(TaskEvent event, Task after, long offset) {
        if (ended || offset <= skipUpTo) {
            return;
        }
        StreamEvent.of(event, after).ifPresent(this::send);
        if (!ended && event instanceof TaskEvent.StatusChanged
                && (after.status().state().isTerminal() || after.status().state().isInterrupted())) {
            ended = true;
            sink.end();
        }
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
