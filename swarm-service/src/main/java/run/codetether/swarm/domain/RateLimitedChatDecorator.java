package run.codetether.swarm.domain;

import java.util.function.LongConsumer;

/** Makes the service's own model calls wait for a token of the provider's shared bucket. */
public final class RateLimitedChatDecorator implements ChatPort {
    private final ChatPort delegate;
    private final ProviderRateLimiter limiter;
    private final LongConsumer sleeper;

    /** @param sleeper waits the given nanoseconds (Thread::sleep in production) */
    public RateLimitedChatDecorator(ChatPort delegate, ProviderRateLimiter limiter, LongConsumer sleeper) {
        this.delegate = delegate;
        this.limiter = limiter;
        this.sleeper = sleeper;
    }

    @Override
    public String complete(String provider, String model, String system, String user, String jsonSchema) {
        while (!limiter.tryAcquire(provider)) {
            sleeper.accept(Math.max(1_000_000, limiter.nanosUntilNext(provider)));
        }
        return delegate.complete(provider, model, system, user, jsonSchema);
    }
}
