package run.codetether.gateway.api.a2a.grpc;

import com.google.lf.a2a.v1.StreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.SubscriberQueue;
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
 * {@link SubscriberQueue}, whose own virtual thread encodes the items in order and hands them to gRPC (whose
 * {@code onNext} serializes the message); a subscriber more than {@link SubscriberQueue#MAX_ITEMS} items behind is
 * ended as slow.
 */
final class GrpcSink implements StreamSink {
    private static final Logger LOG = Logger.getLogger(GrpcSink.class);
    private final ServerCallStreamObserver<StreamResponse> out;
    private final SubscriberQueue<StreamResponse> incoming;
    private final long maxPendingBytes;
    private final ArrayDeque<StreamResponse> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean endQueued;
    private boolean closed;
    private String taskId;

    GrpcSink(ServerCallStreamObserver<StreamResponse> out, long maxPendingBytes) {
        this(out, maxPendingBytes, GrpcSink::encode);
    }

    /** @param encoder turns an item into its message (tests give a slow one) */
    GrpcSink(ServerCallStreamObserver<StreamResponse> out, long maxPendingBytes,
            java.util.function.Function<StreamEvent, StreamResponse> encoder) {
        this.out = out;
        this.incoming = new SubscriberQueue<>(new SubscriberQueue.Target<>() {
            @Override
            public StreamResponse encode(StreamEvent item) {
                return encoder.apply(item);
            }

            @Override
            public void deliver(StreamResponse response) {
                GrpcSink.this.deliver(response);
            }

            @Override
            public void failed(RuntimeException error) {
                fail(error); // the client sees INTERNAL and can GetTask; the stream never hangs half-written
            }

            @Override
            public void end() {
                endNow();
            }
        });
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
        synchronized (this) {
            if (closed) {
                return;
            }
            taskId = item.taskId();
        }
        if (!incoming.offer(item)) {
            LOG.warnf("gRPC client too slow: the stream of task %s is ended (%d items waiting to be encoded)",
                    item.taskId(), SubscriberQueue.MAX_ITEMS);
            abort(SubscriberQueue.slow(item.taskId(), SubscriberQueue.MAX_ITEMS + " items"));
        }
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
            behind = SubscriberQueue.slow(taskId, maxPendingBytes + " bytes");
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
        incoming.end();
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
            incoming.stop();
            queuedBytes = 0;
            out.onError(GrpcErrors.of(error));
        }
        closed();
    }

    @Override
    public void onClose(Runnable action) {
        incoming.onClose(action);
    }

    private void closed() {
        synchronized (this) {
            closed = true;
        }
        incoming.close();
    }
}
