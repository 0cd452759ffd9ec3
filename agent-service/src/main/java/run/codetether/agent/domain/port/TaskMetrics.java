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

    TaskMetrics NONE = new TaskMetrics() {
        @Override
        public void step(String provider, String model, Duration modelTime) {}

        @Override
        public void finished(String state, String provider, String model, long in, long out, double cost) {}
    };
}
