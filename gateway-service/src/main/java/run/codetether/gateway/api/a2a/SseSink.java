package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/**
 * A Server-Sent Events response: one {@code data:} event per stream item, keep-alive comments while idle, and the
 * response ended after the final item. The client closing the connection only runs the close actions
 * (unsubscribe); the task goes on.
 *
 * <p>Bounded: the bytes written but not yet taken by the client's connection are counted, and a stream whose
 * backlog would pass {@code maxPendingBytes} is ended with an error event ({@code streamEnded: slow_consumer},
 * retryable) instead of buffering without bound; a stream ended early for another reason gets the same kind of
 * last event ({@link #abort}). A client that does not even read that last event within
 * {@link #SLOW_CLIENT_GRACE_MS} loses the connection.
 */
public final class SseSink implements StreamSink {
    private static final Logger LOG = Logger.getLogger(SseSink.class);
    /** How long a dropped slow client has to read the final error event before its connection is closed. */
    static final long SLOW_CLIENT_GRACE_MS = 30_000;

    private final HttpServerResponse response;
    private final Vertx vertx;
    private final Function<StreamEvent, JsonNode> encoder;
    private final Function<A2AException, JsonNode> errors;
    private final long keepAliveMs;
    private final long maxPendingBytes;
    private final List<Runnable> closeActions = new ArrayList<>();
    private boolean opened;
    private boolean closed;
    /** The response was ended (a final or error event); close actions may not have run yet. */
    private boolean ended;
    private long timer = -1;
    private long pendingBytes;
    private String taskId;

    /**
     * @param encoder turns an item into what goes on the wire (a JSON-RPC response, or a bare StreamResponse)
     * @param errors turns the error that ends a stream early into its last event (a JSON-RPC error response, or an
     *     HTTP+JSON error object)
     * @param maxPendingBytes most bytes waiting for a slow client before its stream is ended with an error
     */
    public SseSink(HttpServerResponse response, Vertx vertx, Function<StreamEvent, JsonNode> encoder,
            Function<A2AException, JsonNode> errors, long keepAliveMs, long maxPendingBytes) {
        this.response = response;
        this.vertx = vertx;
        this.encoder = encoder;
        this.errors = errors;
        this.keepAliveMs = keepAliveMs;
        this.maxPendingBytes = maxPendingBytes;
        response.closeHandler(v -> closed());
    }

    private void open() {
        if (opened) {
            return;
        }
        opened = true;
        response.setStatusCode(200)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
        timer = vertx.setPeriodic(keepAliveMs, id -> keepAlive());
    }

    private synchronized void keepAlive() {
        if (!closed && !ended) {
            response.write(": keep-alive\n\n");
        }
    }

    @Override
    public void send(StreamEvent item) {
        A2AException behind;
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            taskId = item.taskId();
            String data = event(encoder.apply(item));
            open();
            long size = data.length();
            // one item always goes out on an empty backlog (a snapshot may be large); more must wait for the client
            if (pendingBytes == 0 || pendingBytes + size <= maxPendingBytes) {
                pendingBytes += size;
                response.write(data).onComplete(done -> written(size));
                return;
            }
            LOG.warnf("SSE client too slow: the stream of task %s is ended (%d bytes waiting, limit %d)", taskId,
                    pendingBytes, maxPendingBytes);
            behind = A2AException.streamEnded(taskId, "slow_consumer", "This stream fell behind: more than "
                    + maxPendingBytes + " bytes were waiting for the client. Resubscribe (SubscribeToTask) to go on "
                    + "from the task as it stands, or read it with GetTask", 1);
        }
        abort(behind);
        vertx.setTimer(SLOW_CLIENT_GRACE_MS, id -> {
            if (!response.closed()) {
                response.close(); // it did not even read the final event
            }
        });
    }

    private synchronized void written(long size) {
        pendingBytes -= size;
    }

    private static String event(JsonNode json) {
        try {
            return "data: " + WireJson.MAPPER.writeValueAsString(json) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a stream item", e);
        }
    }

    /** Ends the stream with {@code reason} as its last event (the client resubscribes). */
    @Override
    public void abort(A2AException reason) {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            ended = true;
            open();
            response.write(event(errors.apply(reason)));
            response.end();
        }
        closed();
    }

    @Override
    public void end() {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            ended = true;
            open();
            response.end();
        }
        closed();
    }

    @Override
    public void onClose(Runnable action) {
        synchronized (this) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }

    /**
     * Close actions run outside this sink's lock: they unsubscribe from the task view, whose fold holds its own
     * lock while it calls {@link #send}; taking the two in opposite orders deadlocked the event loop.
     */
    private void closed() {
        List<Runnable> actions;
        synchronized (this) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            closed = true;
            actions = new ArrayList<>(closeActions);
            closeActions.clear();
        }
        actions.forEach(Runnable::run);
    }
}
