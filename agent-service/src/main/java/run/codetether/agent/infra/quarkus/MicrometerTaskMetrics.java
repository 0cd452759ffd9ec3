package run.codetether.agent.infra.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import run.codetether.agent.domain.port.TaskMetrics;

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
        registry.counter("codetether.agent.tasks", "state", state, "provider", provider, "model", model).increment();
        registry.counter("codetether.agent.tokens", "direction", "input", "provider", provider, "model", model).increment(in);
        registry.counter("codetether.agent.tokens", "direction", "output", "provider", provider, "model", model).increment(out);
        registry.counter("codetether.agent.cost.usd", "provider", provider, "model", model).increment(cost);
    }

    /**
     * Also {@code codetether_tokens_total} and {@code codetether_cost_usd_total} by provider, model and tenant (the
     * issue's names, shared across services); the cost counter only moves for priced models, so an unpriced model
     * never reads as free.
     */
    @Override
    public void finished(String state, String provider, String model, String tenant, long in, long out, double cost,
            boolean priced) {
        finished(state, provider, model, in, out, cost);
        registry.counter("codetether.tokens", "direction", "input", "provider", provider, "model", model, "tenant",
                tenant).increment(in);
        registry.counter("codetether.tokens", "direction", "output", "provider", provider, "model", model, "tenant",
                tenant).increment(out);
        if (priced) {
            registry.counter("codetether.cost.usd", "provider", provider, "model", model, "tenant", tenant)
                    .increment(cost);
        }
    }
}
