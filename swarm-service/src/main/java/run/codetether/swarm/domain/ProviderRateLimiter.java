package run.codetether.swarm.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per provider, shared by every swarm of this instance: subtask dispatches and the service's own
 * model calls for a provider draw from the same bucket, as in the original's per-provider rate limiter.
 */
public final class ProviderRateLimiter {
    private final int burst;
    private final double perSecond;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ProviderRateLimiter(int burst, double perSecond, LongSupplier nanoClock) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
    }

    public boolean tryAcquire(String provider) {
        return bucket(provider).tryAcquire();
    }

    public long nanosUntilNext(String provider) {
        return bucket(provider).nanosUntilNext();
    }

    private TokenBucket bucket(String provider) {
        return buckets.computeIfAbsent(provider == null ? "default" : provider,
                p -> new TokenBucket(burst, perSecond, nanoClock));
    }
}
