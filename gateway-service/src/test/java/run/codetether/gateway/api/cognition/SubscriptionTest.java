package run.codetether.gateway.api.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.cognition.ThoughtEvent;
import run.codetether.contracts.cognition.ThoughtEventType;

class SubscriptionTest {
    private static SequencedEvent e(long offset) {
        return new SequencedEvent(offset, new ThoughtEvent("e" + offset, ThoughtEventType.THOUGHT_GENERATED, "p", null,
                Instant.EPOCH, Map.of()));
    }

    @Test
    void aClientThatFallsBehindGetsALagEventWithTheSkippedCount() throws Exception {
        Subscription s = new Subscription(3);
        for (int i = 0; i < 10; i++) {
            s.offer(e(i));
        }
        assertEquals(new Subscription.Item.Lag(7), s.next(Duration.ofMillis(1)));
        assertEquals(new Subscription.Item.Event(e(0)), s.next(Duration.ofMillis(1)));
        assertEquals(new Subscription.Item.Event(e(1)), s.next(Duration.ofMillis(1)));
        assertEquals(new Subscription.Item.Event(e(2)), s.next(Duration.ofMillis(1)));
        assertInstanceOf(Subscription.Item.KeepAlive.class, s.next(Duration.ofMillis(1)));
    }

    @Test
    void theBufferKeepsTheNewestAndCountsWhatAResumingClientLost() {
        EventBuffer buffer = new EventBuffer(3);
        for (long o = 10; o < 20; o += 2) {
            buffer.add(e(o));
        }
        assertEquals(3, buffer.size());
        var fromStart = buffer.after(9);
        assertEquals(List.of(e(14), e(16), e(18)), fromStart.events());
        assertEquals(2, fromStart.lost(), "10 and 12 were dropped");
        var recent = buffer.after(14);
        assertEquals(List.of(e(16), e(18)), recent.events());
        assertEquals(0, recent.lost());
    }
}
