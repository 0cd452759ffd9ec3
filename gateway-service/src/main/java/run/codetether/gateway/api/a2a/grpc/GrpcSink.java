package run.codetether.gateway.api.a2a.grpc;

import com.google.lf.a2a.v1.StreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/**
 * A server-streaming response: one {@code StreamResponse} per item, completed after the final item. A client that
 * cancels only runs the close actions (unsubscribe); the task goes on.
 *
 * <p>Bounded, with gRPC's own flow control: while the call is not ready (the client does not take messages), items
 * wait in a queue of at most {@code maxPendingBytes}; one more ends the stream with status UNAVAILABLE
 * ({@code streamEnded: slow_consumer}, retryable) instead of buffering without bound. A stream ended early for
 * another reason (the gateway stops, the task left the view) ends with the same status ({@link #abort}).
 *
 * <p>Off the reader thread (issue 18, as {@code SseSink}): {@link #send} only puts the item in this subscriber's
 * queue and returns; a virtual thread of its own (at most one at a time per subscriber) encodes the items in order
 * and hands them to gRPC (whose {@code onNext} serializes the message). So the task event reader, which calls
 * {@code send} while it folds, neither encodes nor writes, and a slow subscriber delays only itself. That queue is
 * bounded too ({@link #MAX_QUEUED_ITEMS}): a subscriber that falls that far behind is ended as slow.
 */
final class GrpcSink implements StreamSink {
    private static final Logger LOG = Logger.getLogger(GrpcSink.class);
    /** Most items waiting to be encoded for one subscriber before its stream is ended as too slow. */
    static final int MAX_QUEUED_ITEMS = 1_024;
    /** Drains of every subscriber's queue: a virtual thread each, so one blocked drain holds up no other. */
    private static final java.util.concurrent.Executor DRAINS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    /** The incoming queue's mark for "complete the call after the items before it". */
    private static final Object END = new Object();
    private final ServerCallStreamObserver<StreamResponse> out;
    private final java.util.function.Function<StreamEvent, StreamResponse> encoder;
    /** Items (and {@link #END}) waiting to be encoded, in order; guarded by this. */
    private final ArrayDeque<Object> incoming = new ArrayDeque<>();
    private boolean draining;
    private final long maxPendingBytes;
    private final List<Runnable> closeActions = new ArrayList<>();
    private final ArrayDeque<StreamResponse> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean endQueued;
    /** {@link #end} was called: what comes after it is dropped. */
    private boolean endRequested;
    private boolean closed;
    private String taskId;

    GrpcSink(ServerCallStreamObserver<StreamResponse> out, long maxPendingBytes) {
        this(out, maxPendingBytes, GrpcSink::encode);
    }

    /** @param encoder turns an item into its message (tests give a slow one) */
    GrpcSink(ServerCallStreamObserver<StreamResponse> out, long maxPendingBytes,
            java.util.function.Function<StreamEvent, StreamResponse> encoder) {
        this.encoder = encoder;
        this.out = out;
        this.maxPendingBytes = maxPendingBytes;
        out.setOnCancelHandler(this::closed);
        out.setOnReadyHandler(this::drain);
    }

    static StreamResponse encode(StreamEvent item) {
        return ProtoJson.result(V10Encoder.streamItem(item), StreamResponse.getDefaultInstance());
    }

    /** Queues the item for this subscriber's drain and returns at once (the caller is the task event reader). */
    @Override
    public void send(StreamEvent item) {
        A2AException behind;
        synchronized (this) {
            if (closed || endRequested) {
                return;
            }
            taskId = item.taskId();
            if (incoming.size() < MAX_QUEUED_ITEMS) {
                incoming.add(item);
                scheduleDrain();
                return;
            }
            LOG.warnf("gRPC client too slow: the stream of task %s is ended (%d items waiting to be encoded)",
                    taskId, incoming.size());
            behind = slow(incoming.size() + " items");
        }
        abort(behind);
    }

    /** Starts a drain unless one runs; called holding this sink's lock. */
    private void scheduleDrain() {
        if (!draining) {
            draining = true;
            DRAINS.execute(this::drainIncoming);
        }
    }

    /** Encodes and hands to gRPC what the incoming queue holds, in order, until it is empty. */
    private void drainIncoming() {
        while (true) {
            Object next;
            synchronized (this) {
                next = incoming.poll();
                if (next == null || closed) {
                    incoming.clear();
                    draining = false;
                    return;
                }
            }
            if (next == END) {
                endNow();
                continue;
            }
            StreamResponse response;
            try {
                response = encoder.apply((StreamEvent) next); // outside the lock: send() must never wait on it
            } catch (RuntimeException e) {
                fail(e); // the client sees INTERNAL and can GetTask; the stream never hangs half-written
                continue;
            }
            deliver(response);
        }
    }

    private A2AException slow(String limit) {
        return A2AException.streamEnded(taskId, "slow_consumer", "This stream fell behind: more than " + limit
                + " were waiting for the client. Resubscribe (SubscribeToTask) to go on from the task as it stands, "
                + "or read it with GetTask", 1);
    }

    /** Hands one encoded item to gRPC, or keeps it while the client is not ready (within the byte bound). */
    private void deliver(StreamResponse response) {
        A2AException behind;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.isEmpty() && out.isReady()) {
                out.onNext(response);
                return;
            }
            long size = response.getSerializedSize();
            if (queue.isEmpty() || queuedBytes + size <= maxPendingBytes) {
                queue.add(response);
                queuedBytes += size;
                return;
            }
            LOG.warnf("gRPC client too slow: the stream of task %s is ended (%d bytes waiting, limit %d)", taskId,
                    queuedBytes, maxPendingBytes);
            behind = slow(maxPendingBytes + " bytes");
        }
        abort(behind);
    }

    /** Sends what waited while the client was not ready (gRPC calls this when it is ready again). */
    private void drain() {
        boolean completed = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            while (!queue.isEmpty() && out.isReady()) {
                StreamResponse next = queue.poll();
                queuedBytes -= next.getSerializedSize();
                out.onNext(next);
            }
            if (queue.isEmpty() && endQueued) {
                out.onCompleted();
                completed = true;
            }
        }
        if (completed) {
            closed();
        }
    }

    /** Completes the call after the items queued before this call. */
    @Override
    public void end() {
        synchronized (this) {
            if (closed || endRequested) {
                return;
            }
            endRequested = true;
            incoming.add(END);
            scheduleDrain();
        }
    }

    private void endNow() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!queue.isEmpty()) {
                endQueued = true; // completed once the waiting items went out
                return;
            }
            out.onCompleted();
        }
        closed();
    }

    /** Ends the stream early with a retryable UNAVAILABLE; what still waited for the client is dropped. */
    @Override
    public void abort(A2AException reason) {
        fail(reason);
    }

    /** Ends the stream with an error status (a failure before or after the first item). */
    void fail(Throwable error) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.clear();
            incoming.clear();
            queuedBytes = 0;
            out.onError(GrpcErrors.of(error));
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
     * lock while it calls {@link #send}; taking the two in opposite orders deadlocks.
     */
    private void closed() {
        List<Runnable> actions;
        synchronized (this) {
            closed = true;
            actions = new ArrayList<>(closeActions);
            closeActions.clear();
        }
        actions.forEach(Runnable::run);
    }
}
