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
 *
 * <p>Off the reader thread (issue 18): {@link #send} only puts the item in this subscriber's queue and returns; the
 * queue is drained (encoded and written, in order) by a virtual thread of its own, at most one at a time per
 * subscriber. So the gateway's task event reader, which calls {@code send} while it folds, never encodes or writes,
 * and a subscriber whose encoding or connection is slow delays only itself. The queue is bounded too
 * ({@link #MAX_QUEUED_ITEMS}): a subscriber that falls that far behind is ended as slow, like a full backlog.
 */
public final class SseSink implements StreamSink {
    private static final Logger LOG = Logger.getLogger(SseSink.class);
    /** How long a dropped slow client has to read the final error event before its connection is closed. */
    static final long SLOW_CLIENT_GRACE_MS = 30_000;
    /** Most items waiting to be encoded for one subscriber before its stream is ended as too slow. */
    static final int MAX_QUEUED_ITEMS = 1_024;
    /** Drains of every subscriber's queue: a virtual thread each, so one blocked drain holds up no other. */
    private static final java.util.concurrent.Executor DRAINS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    /** The queue's mark for "end the response after the items before it". */
    private static final Object END = new Object();

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
    /** Items (and {@link #END}) waiting for the drain, in order; guarded by this. */
    private final java.util.ArrayDeque<Object> queue = new java.util.ArrayDeque<>();
    private boolean draining;

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

    /** Queues the item for this subscriber's drain and returns at once (the caller is the task event reader). */
    @Override
    public void send(StreamEvent item) {
        A2AException behind = null;
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            taskId = item.taskId();
            if (queue.size() >= MAX_QUEUED_ITEMS) {
                LOG.warnf("SSE client too slow: the stream of task %s is ended (%d items waiting to be encoded)",
                        taskId, queue.size());
                behind = slow(queue.size() + " items");
            } else {
                queue.add(item);
                scheduleDrain();
            }
        }
        if (behind != null) {
            dropSlowClient(behind);
        }
    }

    /** Starts a drain unless one runs; called holding this sink's lock. */
    private void scheduleDrain() {
        if (!draining) {
            draining = true;
            DRAINS.execute(this::drain);
        }
    }

    /** Encodes and writes what the queue holds, in order, until it is empty. */
    private void drain() {
        while (true) {
            Object next;
            synchronized (this) {
                next = queue.poll();
                if (next == null || closed || ended) {
                    queue.clear();
                    draining = false;
                    return;
                }
            }
            if (next == END) {
                finish();
                continue;
            }
            try {
                write((StreamEvent) next);
            } catch (RuntimeException e) {
                // never a half-written event: the client sees the stream end and can GetTask
                LOG.errorf("cannot encode a stream item of task %s: %s", taskId, e.toString());
                finish();
            }
        }
    }

    private void write(StreamEvent item) {
        synchronized (this) {
            if (closed || ended) {
                return;
            }
        }
        // encoded outside the lock: the reader's send() takes it to queue the next item and must never wait on this
        String data = event(encoder.apply(item));
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
            behind = slow(maxPendingBytes + " bytes");
        }
        dropSlowClient(behind);
    }

    private A2AException slow(String limit) {
        return A2AException.streamEnded(taskId, "slow_consumer", "This stream fell behind: more than " + limit
                + " were waiting for the client. Resubscribe (SubscribeToTask) to go on from the task as it stands, "
                + "or read it with GetTask", 1);
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
            queue.clear();
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
            queue.add(END);
            scheduleDrain();
        }
    }

    private void finish() {
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
