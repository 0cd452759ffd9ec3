package run.codetether.agent.domain.budget;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Per-tenant daily budgets in USD ({@code codetether.agent.budgets.*}): what each tenant's model calls cost today
 * (UTC), and whether it may make another call. A task is checked before each model call: once its tenant's spend
 * today reached the budget, the task stops FAILED with the reason, before it spends more. Unpriced calls (model not
 * in the catalog) add no cost: their price is unknown. Thread-safe.
 *
 * <p>The spend is kept by a {@link SpendLedger}: shared by every agent replica through Kafka in a deployment (the
 * sum over replicas, recovered after a restart), or this replica's memory alone ({@link DailySpend}); docs/providers.md
 * "Budgets" says how close to the budget each keeps a tenant.
 */
public final class TenantBudgets {
    /** The tenant key of a task submitted without one. */
    public static final String DEFAULT_TENANT = "default";
    /** No budget for anyone. */
    public static final TenantBudgets UNLIMITED = new TenantBudgets(Optional.empty(), Map.of(), Clock.systemUTC());

    private final Optional<Double> dailyDefault;
    private final Map<String, Double> perTenant;
    private final Clock clock;
    private final SpendLedger ledger;

    /** Budgets over this replica's own spend only (kept in memory). */
    public TenantBudgets(Optional<Double> dailyDefault, Map<String, Double> perTenant, Clock clock) {
        this(dailyDefault, perTenant, clock, new DailySpend());
    }

    /**
     * @param dailyDefault the daily budget of a tenant without its own; empty = unlimited
     * @param perTenant tenant -> daily budget in USD
     * @param ledger where the spend is kept (and shared)
     */
    public TenantBudgets(Optional<Double> dailyDefault, Map<String, Double> perTenant, Clock clock,
            SpendLedger ledger) {
        dailyDefault.ifPresent(TenantBudgets::checkLimit);
        perTenant.values().forEach(TenantBudgets::checkLimit);
        this.dailyDefault = dailyDefault;
        this.perTenant = Map.copyOf(perTenant);
        this.clock = clock;
        this.ledger = ledger;
    }

    private static void checkLimit(double usd) {
        if (!(usd >= 0)) {
            throw new IllegalArgumentException("a daily budget is a USD amount >= 0, not " + usd);
        }
    }

    public static String tenantOf(String tenant) {
        return tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    }

    /** The tenant's daily budget, empty when it has none. */
    public Optional<Double> limit(String tenant) {
        return Optional.ofNullable(perTenant.get(tenantOf(tenant))).or(() -> dailyDefault);
    }

    /** Adds one model call (its tokens, and its cost when priced) to the tenant's day. */
    public void add(String tenant, CallSpend call) {
        ledger.add(tenantOf(tenant), today(), call);
    }

    /** Adds the cost of one model call to the tenant's day. */
    public void add(String tenant, double usd) {
        add(tenant, CallSpend.ofCost(usd));
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** What the tenant's calls cost today (UTC), over every replica the ledger knows of. */
    public double spentToday(String tenant) {
        return ledger.spent(tenantOf(tenant), today());
    }

    /** Why the tenant may not make another model call today, or empty when it may. */
    public Optional<String> refusal(String tenant) {
        Optional<Double> limit = limit(tenant);
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        String t = tenantOf(tenant);
        Optional<String> unknown = ledger.unavailable();
        if (unknown.isPresent()) {
            return Optional.of(String.format(Locale.ROOT, "tenant '%s' has a daily budget of $%.2f but today's spend "
                    + "is not known: %s. The task stopped before its next model call; it may run again once the "
                    + "spend is read.", t, limit.get(), unknown.get()));
        }
        double today = spentToday(tenant);
        if (today < limit.get()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "tenant '%s' reached its daily budget of $%.2f (spent $%.4f "
                + "today, UTC): the task stopped before its next model call. Raise codetether.agent.budgets.tenants.%s "
                + "(or codetether.agent.budgets.daily-usd) or wait for the next UTC day.", t, limit.get(), today, t));
    }
}
