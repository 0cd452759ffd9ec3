package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * A start's one-shot Kafka call across an outage, without a broker: which failures are waited out (a Kafka
 * retriable error, a future's timeout, either inside an ExecutionException), which fail at once, and the failure
 * past the budget.
 */
class OutageRetryTest {

    @Test
    void callsThatTimeOutAreMadeAgainUntilOneIsAnswered() {
        AtomicInteger tries = new AtomicInteger();
        String got = OutageRetry.call("the answer", Duration.ofMinutes(1), () -> switch (tries.incrementAndGet()) {
            case 1 -> throw new TimeoutException("Timeout expired while fetching topic metadata");
            case 2 -> throw new java.util.concurrent.TimeoutException(); // an Admin future's get
            case 3 -> throw new ExecutionException(new TimeoutException("timed out in the admin client"));
            default -> "answered";
        });
        assertEquals("answered", got);
        assertEquals(4, tries.get());
    }

    @Test
    void anErrorThatIsNoOutageFailsAtTheFirstTry() {
        AtomicInteger tries = new AtomicInteger();
        TopicAuthorizationException denied = new TopicAuthorizationException("denied");
        assertSame(denied, assertThrows(TopicAuthorizationException.class,
                () -> OutageRetry.call("a denied look-up", Duration.ofMinutes(1), () -> {
                    tries.incrementAndGet();
                    throw new ExecutionException(denied);
                })));
        assertEquals(1, tries.get());
    }

    @Test
    void aZeroBudgetRethrowsTheFirstTimeoutAsItCame() {
        TimeoutException first = new TimeoutException("first");
        assertSame(first, assertThrows(TimeoutException.class,
                () -> OutageRetry.call("a request's look-up", Duration.ZERO, () -> {
                    throw first;
                })));
    }

    @Test
    void anOutageLongerThanTheBudgetFailsNamingItAndIsNoOutageAnyMore() {
        AtomicInteger tries = new AtomicInteger();
        long began = System.nanoTime();
        OutageRetry.Spent e = assertThrows(OutageRetry.Spent.class,
                () -> OutageRetry.call("the end offsets of [t-0]", Duration.ofMillis(700), () -> {
                    tries.incrementAndGet();
                    throw new TimeoutException("Failed to get offsets by times in 1ms");
                }));
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(e.getMessage().startsWith("the end offsets of [t-0]: Kafka did not answer for "), e.getMessage());
        assertTrue(e.getMessage().contains("longer than codetether.kafka.outage-budget (PT0.7S), after " + tries.get()
                + " tries; last error: org.apache.kafka.common.errors.TimeoutException"), e.getMessage());
        assertTrue(tries.get() >= 3, "backoff 100, 200, 400 ms: " + tries.get() + " tries");
        assertTrue(tookMs >= 700 && tookMs < 5_000, "failed once the budget was spent: " + tookMs + " ms");
        assertTrue(e.getCause() instanceof TimeoutException, "the last Kafka error is its cause");
        assertFalse(KafkaOutage.retriable(e), "a poll loop whose start waited the budget out does not wait again");
    }
}
