package run.codetether.gateway.api.a2a.grpc;

import com.google.lf.a2a.v1.StreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import run.codetether.gateway.api.a2a.V10Encoder;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/**
 * A server-streaming response: one {@code StreamResponse} per item, completed after the final item. A client that
 * cancels only runs the close actions (unsubscribe); the task goes on.
 */
final class GrpcSink implements StreamSink {
    private final ServerCallStreamObserver<StreamResponse> out;
    private final List<Runnable> closeActions = new ArrayList<>();
    private boolean closed;

    GrpcSink(ServerCallStreamObserver<StreamResponse> out) {
        this.out = out;
        out.setOnCancelHandler(this::closed);
    }

    @Override
    public synchronized void send(StreamEvent item) {
        if (closed) {
            return;
        }
        StreamResponse response;
        try {
            response = ProtoJson.result(V10Encoder.streamItem(item), StreamResponse.getDefaultInstance());
        } catch (RuntimeException e) {
            fail(e); // the client sees INTERNAL and can GetTask; the stream never hangs half-written
            return;
        }
        out.onNext(response);
    }

    @Override
    public synchronized void end() {
        if (closed) {
            return;
        }
        out.onCompleted();
        closed();
    }

    /** Ends the stream with an error status (a failure before or after the first item). */
    synchronized void fail(Throwable error) {
        if (closed) {
            return;
        }
        out.onError(GrpcErrors.of(error));
        closed();
    }

    @Override
    public synchronized void onClose(Runnable action) {
        if (closed) {
            action.run();
        } else {
            closeActions.add(action);
        }
    }

    private synchronized void closed() {
        closed = true;
        List<Runnable> actions = new ArrayList<>(closeActions);
        closeActions.clear();
        actions.forEach(Runnable::run);
    }
}
