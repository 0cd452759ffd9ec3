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
 */
final class GrpcSink implements StreamSink {
    private static final Logger LOG = Logger.getLogger(GrpcSink.class);
    private final ServerCallStreamObserver<StreamResponse> out;
    private final long maxPendingBytes;
    private final List<Runnable> closeActions = new ArrayList<>();
    private final ArrayDeque<StreamResponse> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean endQueued;
    private boolean closed;
    private String taskId;

    GrpcSink(ServerCallStreamObserver<StreamResponse> out, long maxPendingBytes) {
        this.out = out;
        this.maxPendingBytes = maxPendingBytes;
        out.setOnCancelHandler(this::closed);
        out.setOnReadyHandler(this::drain);
    }

    @Override
    public void send(StreamEvent item) {
        StreamResponse response;
        try {
            response = ProtoJson.result(V10Encoder.streamItem(item), StreamResponse.getDefaultInstance());
        } catch (RuntimeException e) {
            fail(e); // the client sees INTERNAL and can GetTask; the stream never hangs half-written
            return;
        }
        A2AException behind;
        synchronized (this) {
            if (closed) {
                return;
            }
            taskId = item.taskId();
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
            behind = A2AException.streamEnded(taskId, "slow_consumer", "This stream fell behind: more than "
                    + maxPendingBytes + " bytes were waiting for the client. Resubscribe (SubscribeToTask) to go on "
                    + "from the task as it stands, or read it with GetTask", 1);
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

    @Override
    public void end() {
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
