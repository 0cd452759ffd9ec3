package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import run.codetether.gateway.domain.handler.StreamEvent;
import run.codetether.gateway.domain.handler.StreamSink;

/**
 * A Server-Sent Events response: one {@code data:} event per stream item, keep-alive comments while idle, and the
 * response ended after the final item. The client closing the connection only runs the close actions
 * (unsubscribe); the task goes on.
 */
public final class SseSink implements StreamSink {
    private final HttpServerResponse response;
    private final Vertx vertx;
    private final Function<StreamEvent, JsonNode> encoder;
    private final long keepAliveMs;
    private final List<Runnable> closeActions = new ArrayList<>();
    private boolean opened;
    private boolean closed;
    private long timer = -1;

    /** @param encoder turns an item into what goes on the wire (a JSON-RPC response, or a bare StreamResponse) */
    public SseSink(HttpServerResponse response, Vertx vertx, Function<StreamEvent, JsonNode> encoder,
            long keepAliveMs) {
        this.response = response;
        this.vertx = vertx;
        this.encoder = encoder;
        this.keepAliveMs = keepAliveMs;
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
        if (!closed) {
            response.write(": keep-alive\n\n");
        }
    }

    @Override
    public synchronized void send(StreamEvent item) {
        if (closed) {
            return;
        }
        String data;
        try {
            data = "data: " + WireJson.MAPPER.writeValueAsString(encoder.apply(item)) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a stream item", e);
        }
        open();
        response.write(data);
    }

    @Override
    public synchronized void end() {
        if (closed) {
            return;
        }
        open();
        response.end();
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
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        closed = true;
        List<Runnable> actions = new ArrayList<>(closeActions);
        closeActions.clear();
        actions.forEach(Runnable::run);
    }
}
