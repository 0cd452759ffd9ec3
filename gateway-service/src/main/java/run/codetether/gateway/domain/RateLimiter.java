package run.codetether.gateway.domain;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token bucket per client: {@code perSecond} sustained, {@code burst} at once. Thread-safe. A refused call learns
 * how many seconds until a token is free (the Retry-After value).
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanos = nanos;
    }

    /** @return 0 when allowed, else the whole seconds to wait (at least 1) */
    public long acquire(String client) {
        if (perSecond <= 0) {
            return 0;
        }
        long now = nanos.getAsLong();
        long[] wait = {0};
        buckets.compute(client, (k, b) -> {
            Bucket bucket = b == null ? new Bucket(burst, now) : b;
            double elapsed = (now - bucket.at) / 1e9;
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
            } else {
                wait[0] = Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
            }
            return bucket;
        });
        return wait[0];
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
