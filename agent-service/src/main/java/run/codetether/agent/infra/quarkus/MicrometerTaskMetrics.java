package run.codetether.agent.infra.quarkus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.contracts.events.Usage;

/**
 * Loop metrics in Micrometer: tasks by end state, tokens, cost, model-call latency per provider and model. The meters
 * of a label set are looked up once and kept (issue 18: every task built nine tag lists and ids, and every model call
 * a histogram builder, to find meters the registry already held). The registry keeps every meter it registered
 * anyway, so these maps hold no label set it does not: the same bound (the configured providers, models, tenants).
 */
final class MicrometerTaskMetrics implements TaskMetrics {
    private record ModelKey(String provider, String model) {}

    private record EndKey(String state, String provider, String model, String tenant) {}

    /** The older per-provider/model series of an end; {@code cost} is registered on the first priced end. */
    private record OlderMeters(Counter tasks, Counter in, Counter out) {}

    /** The per-tenant series ({@code codetether.tokens} by direction, {@code codetether.cost.usd}). */
    private record TenantMeters(Counter in, Counter out, Counter cacheRead, Counter cacheWrite) {}

    private final MeterRegistry registry;
    private final Map<ModelKey, Timer> modelCalls = new ConcurrentHashMap<>();
    private final Map<EndKey, OlderMeters> older = new ConcurrentHashMap<>();
    private final Map<ModelKey, Counter> olderCost = new ConcurrentHashMap<>();
    private final Map<EndKey, TenantMeters> tenants = new ConcurrentHashMap<>();
    private final Map<EndKey, Counter> tenantCost = new ConcurrentHashMap<>();

    MicrometerTaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void step(String provider, String model, Duration modelTime) {
        // a histogram, so the dashboard and alert rules can read p50/p99 from the _bucket series
        modelCalls.computeIfAbsent(new ModelKey(provider, model), k -> Timer.builder("codetether.agent.model.call")
                .tag("provider", provider).tag("model", model).publishPercentileHistogram().register(registry))
                .record(modelTime);
    }

    @Override
    public void finished(String state, String provider, String model, long in, long out, double cost) {
        older(state, provider, model, in, out, cost);
    }

    /** The older per-provider/model series; {@code cost} null (unpriced) leaves the cost series alone. */
    private void older(String state, String provider, String model, long in, long out, Double cost) {
        OlderMeters m = older.computeIfAbsent(new EndKey(state, provider, model, null), k -> new OlderMeters(
                registry.counter("codetether.agent.tasks", "state", state, "provider", provider, "model", model),
                registry.counter("codetether.agent.tokens", "direction", "input", "provider", provider, "model", model),
                registry.counter("codetether.agent.tokens", "direction", "output", "provider", provider, "model",
                        model)));
        m.tasks().increment();
        m.in().increment(in);
        m.out().increment(out);
        if (cost != null) {
            olderCost.computeIfAbsent(new ModelKey(provider, model), k -> registry.counter("codetether.agent.cost.usd",
                    "provider", provider, "model", model)).increment(cost);
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
        EndKey byTenant = new EndKey(null, provider, model, tenant);
        TenantMeters t = tenants.computeIfAbsent(byTenant, k -> new TenantMeters(
                tokens("input", provider, model, tenant), tokens("output", provider, model, tenant),
                tokens("cache_read", provider, model, tenant), tokens("cache_write", provider, model, tenant)));
        t.in().increment(usage.tokensIn());
        t.out().increment(usage.tokensOut());
        t.cacheRead().increment(usage.cacheReadTokens());
        t.cacheWrite().increment(usage.cacheWriteTokens());
        if (cost != null) {
            tenantCost.computeIfAbsent(byTenant, k -> registry.counter("codetether.cost.usd", "provider", provider,
                    "model", model, "tenant", tenant)).increment(cost);
        }
    }

    private Counter tokens(String direction, String provider, String model, String tenant) {
        return registry.counter("codetether.tokens", "direction", direction, "provider", provider, "model", model,
                "tenant", tenant);
    }
}
