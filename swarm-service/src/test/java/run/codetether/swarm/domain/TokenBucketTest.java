package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void burstThenRefillAtTheConfiguredRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(2, 4, now::get);
        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire());
        assertEquals(250_000_000L, bucket.nanosUntilNext());
        now.addAndGet(250_000_000L);
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire());
        now.addAndGet(10_000_000_000L);
        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire(), "refill is capped at the capacity");
    }

    @Test
    void providersHaveSeparateBuckets() {
        AtomicLong now = new AtomicLong();
        ProviderRateLimiter limiter = new ProviderRateLimiter(1, 1, now::get);
        assertTrue(limiter.tryAcquire("a"));
        assertFalse(limiter.tryAcquire("a"));
        assertTrue(limiter.tryAcquire("b"));
        assertTrue(limiter.tryAcquire(null));
        assertFalse(limiter.tryAcquire(null));
    }
}
