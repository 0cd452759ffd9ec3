package run.codetether.gateway.api.dashboard;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.dashboard.BoardSubscription;
import run.codetether.gateway.domain.dashboard.TaskBoard;
import run.codetether.gateway.domain.dashboard.TaskSummary;

/**
 * Pumps the task board into one page's SSE connection on a virtual thread: a {@code snapshot} of the visible tasks
 * first, then {@code tasks} events with the summaries that changed (coalesced, at most one per flush interval),
 * a {@code snapshot} again when the page fell too far behind, {@code stats} every second and keep-alive comments.
 * Each send is awaited, so a slow page holds back only itself.
 */
final class BoardStreamWriter implements Runnable {
    private static final Logger LOG = Logger.getLogger(BoardStreamWriter.class);

    private final TaskBoard board;
    private final BoardSubscription subscription;
    private final Predicate<TaskSummary> visible;
    private final SseEventSink sink;
    private final Sse sse;
    private final Duration flush;
    private final Duration keepAlive;
    private final int snapshotSize;

    BoardStreamWriter(TaskBoard board, BoardSubscription subscription, Predicate<TaskSummary> visible, SseEventSink sink,
            Sse sse, Duration flush, Duration keepAlive, int snapshotSize) {
        this.board = board;
        this.subscription = subscription;
        this.visible = visible;
        this.sink = sink;
        this.sse = sse;
        this.flush = flush;
        this.keepAlive = keepAlive;
        this.snapshotSize = snapshotSize;
    }

    @Override
    public void run() {
        try {
            send("snapshot", Map.of("tasks", board.list(visible, snapshotSize)));
            long lastStats = 0;
            long lastSend = System.nanoTime();
            while (!sink.isClosed() && !subscription.closed()) {
                BoardSubscription.Batch batch = subscription.await(Duration.ofSeconds(1));
                if (batch.reload()) {
                    send("snapshot", Map.of("tasks", board.list(visible, snapshotSize)));
                    lastSend = System.nanoTime();
                } else if (!batch.isEmpty()) {
                    List<TaskSummary> changed = new ArrayList<>();
                    for (String id : batch.taskIds()) {
                        board.get(id).filter(visible).ifPresent(changed::add);
                    }
                    if (!changed.isEmpty()) {
                        send("tasks", Map.of("tasks", changed));
                        lastSend = System.nanoTime();
                    }
                }
                long now = System.nanoTime();
                if (now - lastStats > TimeUnit.SECONDS.toNanos(1)) {
                    send("stats", board.stats(visible));
                    lastStats = now;
                    lastSend = now;
                } else if (now - lastSend > keepAlive.toNanos()) {
                    sink.send(sse.newEventBuilder().comment("keep-alive").build()).toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                    lastSend = now;
                }
                Thread.sleep(flush.toMillis()); // coalesce: changes of the next interval go out together
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("dashboard stream closed: %s", e.getMessage());
        } finally {
            board.unsubscribe(subscription);
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed by the page
            }
        }
    }

    private void send(String name, Object body) throws Exception {
        OutboundSseEvent event = sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, DashboardJson.write(body)).build();
        sink.send(event).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
