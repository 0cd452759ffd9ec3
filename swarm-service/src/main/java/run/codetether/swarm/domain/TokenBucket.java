package run.codetether.swarm.domain;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code perSecond}. Thread-safe. The clock is a
 * nanosecond supplier so tests drive time without sleeping.
 */
public final class TokenBucket {
    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public TokenBucket(int capacity, double perSecond, LongSupplier nanoClock) {
        if (capacity < 1 || perSecond <= 0) {
            throw new IllegalArgumentException("token bucket needs capacity >= 1 and a positive rate");
        }
        this.capacity = capacity;
        this.perNano = perSecond / 1_000_000_000d;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until the next token (0 when one is available). */
    public synchronized long nanosUntilNext() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }
}
