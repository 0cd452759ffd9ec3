package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ResponseLimits;
import run.codetether.gateway.domain.TaskView;

/** A stream whose task leaves the view, or whose gateway stops, ends with a retryable error, once. */
class StreamRelayEndTest {

    /** Records what a binding would write. */
    static final class RecordingSink implements StreamSink {
        final List<StreamEvent> items = new ArrayList<>();
        A2AException abortedWith;
        int ends;
        final List<Runnable> closeActions = new ArrayList<>();

        @Override
        public synchronized void send(StreamEvent event) {
            items.add(event);
        }

        @Override
        public synchronized void end() {
            ends++;
            closeActions.forEach(Runnable::run);
        }

        @Override
        public synchronized void abort(A2AException reason) {
            abortedWith = reason;
            ends++;
            closeActions.forEach(Runnable::run);
        }

        @Override
        public synchronized void onClose(Runnable action) {
            closeActions.add(action);
        }
    }

    private static Task working(String id) {
        return new Task(id, "c", new TaskStatus(TaskState.WORKING, null, Instant.now()), null, null, Map.of());
    }

    @Test
    void aTaskThatLeavesTheViewEndsItsStreamsWithARetryableError() {
        TaskView view = new TaskView();
        view.restore(working("t1"), 5);
        RecordingSink sink = new RecordingSink();
        StreamRelay relay = new StreamRelay(sink, ResponseLimits.DEFAULTS);
        TaskView.Versioned at = view.subscribe("t1", relay);
        relay.start(at.task(), at.offset());
        view.remove("t1");
        assertNotNull(sink.abortedWith, "the stream ended with an error");
        assertEquals(A2AError.UNAVAILABLE, sink.abortedWith.error());
        assertEquals("evicted", sink.abortedWith.details().get("streamEnded"));
        assertEquals("t1", sink.abortedWith.details().get("taskId"));
        assertTrue(sink.abortedWith.retryAfterSeconds() >= 0, "retryable");
        // a late event for the task reaches no one, and the stream ended once
        view.apply(new TaskEvent.StatusChanged("t1", "c", "w", TaskStatus.of(TaskState.COMPLETED), null, null), 6,
                v -> { });
        assertEquals(1, sink.items.size(), "only the first item");
        assertEquals(1, sink.ends);
    }

    @Test
    void abortingAllLiveStreamsEndsEachOnceWithItsTaskId() {
        TaskView view = new TaskView();
        LiveStreams live = new LiveStreams();
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            view.restore(working("t" + i), i);
            RecordingSink sink = new RecordingSink();
            StreamRelay relay = new StreamRelay(sink, ResponseLimits.DEFAULTS);
            live.add(relay);
            sink.onClose(() -> live.remove(relay));
            TaskView.Versioned at = view.subscribe("t" + i, relay);
            relay.start(at.task(), at.offset());
            sinks.add(sink);
        }
        assertEquals(3, live.size());
        assertEquals(3, live.abortAll("shutdown", "stopping", 1));
        assertEquals(0, live.size());
        for (int i = 0; i < 3; i++) {
            assertEquals("shutdown", sinks.get(i).abortedWith.details().get("streamEnded"));
            assertEquals("t" + i, sinks.get(i).abortedWith.details().get("taskId"));
            assertEquals(1, sinks.get(i).ends);
        }
        assertEquals(0, live.abortAll("shutdown", "again", 1));
    }
}
