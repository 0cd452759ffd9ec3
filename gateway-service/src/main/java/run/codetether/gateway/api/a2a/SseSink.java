package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
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
 *
 * <p>Off the reader thread (issue 18): {@link #send} only puts the item in this subscriber's
 * {@link SubscriberQueue}, whose own virtual thread encodes and writes it; a subscriber more than
 * {@link SubscriberQueue#MAX_ITEMS} items behind is ended as slow, like a full backlog.
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
    private boolean opened;
    private boolean closed;
    /** The response was ended (a final or error event); close actions may not have run yet. */
    private boolean ended;
    private long timer = -1;
    private long pendingBytes;
    private String taskId;
    private final SubscriberQueue<String> queue;

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
        this.queue = new SubscriberQueue<>(new SubscriberQueue.Target<>() {
            @Override
            public String encode(StreamEvent item) {
                return event(encoder.apply(item));
            }

            @Override
            public void deliver(String data) {
                write(data);
            }

            @Override
            public void failed(RuntimeException error) {
                // never a half-written event: the client sees the stream end and can GetTask
                LOG.errorf("cannot encode a stream item of task %s: %s", taskId(), error.toString());
                finish();
            }

            @Override
            public void end() {
                finish();
            }
        });
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

    /** Queues the item for this subscriber's drain and returns at once (the caller is the task event reader). */
    @Override
    public void send(StreamEvent item) {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            taskId = item.taskId();
        }
        if (!queue.offer(item)) {
            LOG.warnf("SSE client too slow: the stream of task %s is ended (%d items waiting to be encoded)",
                    item.taskId(), SubscriberQueue.MAX_ITEMS);
            dropSlowClient(SubscriberQueue.slow(item.taskId(), SubscriberQueue.MAX_ITEMS + " items"));
        }
    }

    private synchronized String taskId() {
        return taskId;
    }

    /** Writes one encoded event unless the client already has {@code maxPendingBytes} waiting. */
    private void write(String data) {
        A2AException behind;
        synchronized (this) {
            if (closed || ended) {
                return;
            }
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
            behind = SubscriberQueue.slow(taskId, maxPendingBytes + " bytes");
        }
        dropSlowClient(behind);
    }

    private void dropSlowClient(A2AException behind) {
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

    /** Ends the stream with {@code reason} as its last event at once (the items still queued are dropped). */
    @Override
    public void abort(A2AException reason) {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            ended = true;
            queue.stop();
            open();
            response.write(event(errors.apply(reason)));
            response.end();
        }
        closed();
    }

    /** Ends the response after the items queued before this call. */
    @Override
    public void end() {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
        }
        queue.end();
    }

    private void finish() {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            ended = true;
            queue.stop();
            open();
            response.end();
        }
        closed();
    }

    @Override
    public void onClose(Runnable action) {
        queue.onClose(action);
    }

    /** The connection is gone or the stream is over: the keep-alive stops and the close actions run (unsubscribe). */
    private void closed() {
        synchronized (this) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            closed = true;
        }
        queue.close();
    }
}
