package run.codetether.gateway.api.cognition;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import run.codetether.contracts.events.ContractJson;

/**
 * Pumps one subscription into one SSE connection on a virtual thread: {@code cognition} events (id = offset, data =
 * the ThoughtEvent JSON), {@code lag} events ("skipped N") when the client fell behind, and a keep-alive comment when
 * nothing flowed for the keep-alive interval. Each send is awaited, so a slow client fills its own queue, not memory.
 */
final class CognitionStreamWriter implements Runnable {
    private static final Logger LOG = Logger.getLogger(CognitionStreamWriter.class);
    private final CognitionFeed feed;
    private final Subscription subscription;
    private final SseEventSink sink;
    private final Sse sse;

    CognitionStreamWriter(CognitionFeed feed, Subscription subscription, SseEventSink sink, Sse sse) {
        this.feed = feed;
        this.subscription = subscription;
        this.sink = sink;
        this.sse = sse;
    }

    @Override
    public void run() {
        try {
            while (!sink.isClosed() && !subscription.closed()) {
                OutboundSseEvent out = switch (subscription.next(feed.config().keepAlive())) {
                    case Subscription.Item.Event e -> sse.newEventBuilder().name("cognition")
                            .id(Long.toString(e.event().offset())).mediaType(MediaType.TEXT_PLAIN_TYPE)
                            .data(String.class, new String(ContractJson.write(e.event().event()), StandardCharsets.UTF_8))
                            .build();
                    case Subscription.Item.Lag l -> sse.newEventBuilder().name("lag")
                            .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, "skipped " + l.skipped()).build();
                    case Subscription.Item.KeepAlive k -> sse.newEventBuilder().comment("keep-alive").build();
                };
                sink.send(out).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("cognition stream closed: %s", e.getMessage());
        } finally {
            feed.unsubscribe(subscription);
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        }
    }
}
