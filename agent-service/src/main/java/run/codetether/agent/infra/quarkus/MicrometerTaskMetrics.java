package run.codetether.agent.infra.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.contracts.events.Usage;

/** Loop metrics in Micrometer: tasks by end state, tokens, cost, model-call latency per provider and model. */
final class MicrometerTaskMetrics implements TaskMetrics {
    private final MeterRegistry registry;

    MicrometerTaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void step(String provider, String model, Duration modelTime) {
        // a histogram, so the dashboard and alert rules can read p50/p99 from the _bucket series
        Timer.builder("codetether.agent.model.call").tag("provider", provider).tag("model", model)
                .publishPercentileHistogram().register(registry).record(modelTime);
    }

    @Override
    public void finished(String state, String provider, String model, long in, long out, double cost) {
        older(state, provider, model, in, out, cost);
    }

    /** The older per-provider/model series; {@code cost} null (unpriced) leaves the cost series alone. */
    private void older(String state, String provider, String model, long in, long out, Double cost) {
        registry.counter("codetether.agent.tasks", "state", state, "provider", provider, "model", model).increment();
        registry.counter("codetether.agent.tokens", "direction", "input", "provider", provider, "model", model).increment(in);
        registry.counter("codetether.agent.tokens", "direction", "output", "provider", provider, "model", model).increment(out);
        if (cost != null) {
            registry.counter("codetether.agent.cost.usd", "provider", provider, "model", model).increment(cost);
        }
    }

    /**
     * Also {@code codetether_tokens_total} and {@code codetether_cost_usd_total} by provider, model and tenant (the
     * issue's names, shared across services); the cost counter only moves for priced models, so an unpriced model
     * never reads as free.
     */
    @Override
    public void finished(String state, String provider, String model, String tenant, long in, long out, double cost,
            boolean priced) {
        finished(state, provider, model, tenant, new Usage(in, out, 0, 0, priced ? cost : null, priced));
    }

    /**
     * {@code direction} is {@code input} (prompt tokens neither read from nor written to the provider's cache),
     * {@code output}, {@code cache_read} or {@code cache_write}: disjoint, so their sum is every token of the task.
     */
    @Override
    public void finished(String state, String provider, String model, String tenant, Usage usage) {
        // an unpriced model's cost is unknown, not 0: neither cost series moves for it (a $0 sample would read as free)
        Double cost = usage.priced() ? usage.costUsd() : null;
        older(state, provider, model, usage.tokensIn(), usage.tokensOut(), cost);
        tokens("input", provider, model, tenant, usage.tokensIn());
        tokens("output", provider, model, tenant, usage.tokensOut());
        tokens("cache_read", provider, model, tenant, usage.cacheReadTokens());
        tokens("cache_write", provider, model, tenant, usage.cacheWriteTokens());
        if (cost != null) {
            registry.counter("codetether.cost.usd", "provider", provider, "model", model, "tenant", tenant)
                    .increment(cost);
        }
    }

    private void tokens(String direction, String provider, String model, String tenant, long n) {
        registry.counter("codetether.tokens", "direction", direction, "provider", provider, "model", model, "tenant",
                tenant).increment(n);
    }
}
