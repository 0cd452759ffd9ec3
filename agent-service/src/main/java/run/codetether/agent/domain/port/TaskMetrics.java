package run.codetether.agent.domain.port;

import java.time.Duration;

/** Counters and timers of the loop (Micrometer in production). */
public interface TaskMetrics {
    void step(String provider, String model, Duration modelTime);

    void finished(String state, String provider, String model, long inputTokens, long outputTokens, double costUsd);

    /**
     * A task's end with its tenant and whether its model is priced (an unpriced task adds tokens, never a cost of 0).
     * Defaults to the tenant-less form.
     */
    default void finished(String state, String provider, String model, String tenant, long inputTokens,
            long outputTokens, double costUsd, boolean priced) {
        finished(state, provider, model, inputTokens, outputTokens, costUsd);
    }

    /**
     * A task's end with its tenant and its usage: tokens in, out, cache read and cache write, and its cost when
     * priced. Defaults to the form without cache tokens.
     */
    default void finished(String state, String provider, String model, String tenant,
            run.codetether.contracts.events.Usage usage) {
        finished(state, provider, model, tenant, usage.tokensIn(), usage.tokensOut(),
                usage.costUsd() == null ? 0 : usage.costUsd(), usage.priced());
    }

    TaskMetrics NONE = new TaskMetrics() {
        @Override
        public void step(String provider, String model, Duration modelTime) {}

        @Override
        public void finished(String state, String provider, String model, long in, long out, double cost) {}
    };
}
