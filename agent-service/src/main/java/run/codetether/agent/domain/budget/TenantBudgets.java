package run.codetether.agent.domain.budget;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant daily budgets in USD ({@code codetether.agent.budgets.*}): what each tenant's model calls cost today
 * (UTC) on this agent replica, and whether it may make another call. A task is checked before each model call:
 * once its tenant's spend today reached the budget, the task stops FAILED with the reason, before it spends more.
 * Unpriced calls (model not in the catalog) add no cost: their price is unknown. Thread-safe.
 *
 * <p>In memory, per replica: replicas do not share a tenant's spend (N replicas allow up to N budgets a day) and a
 * restart forgets it; docs/providers.md "Budgets" says what this means for a deployment.
 */
public final class TenantBudgets {
    /** The tenant key of a task submitted without one. */
    public static final String DEFAULT_TENANT = "default";
    /** No budget for anyone. */
    public static final TenantBudgets UNLIMITED = new TenantBudgets(Optional.empty(), Map.of(), Clock.systemUTC());

    private final Optional<Double> dailyDefault;
    private final Map<String, Double> perTenant;
    private final Clock clock;
    private final Map<String, Day> spent = new ConcurrentHashMap<>();

    private record Day(LocalDate date, double usd) {}

    /**
     * @param dailyDefault the daily budget of a tenant without its own; empty = unlimited
     * @param perTenant tenant -> daily budget in USD
     */
    public TenantBudgets(Optional<Double> dailyDefault, Map<String, Double> perTenant, Clock clock) {
        dailyDefault.ifPresent(TenantBudgets::checkLimit);
        perTenant.values().forEach(TenantBudgets::checkLimit);
        this.dailyDefault = dailyDefault;
        this.perTenant = Map.copyOf(perTenant);
        this.clock = clock;
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

    /** Adds the cost of one model call to the tenant's day. */
    public void add(String tenant, double usd) {
        if (usd <= 0) {
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        spent.merge(tenantOf(tenant), new Day(today, usd),
                (old, add) -> old.date().equals(today) ? new Day(today, old.usd() + add.usd()) : add);
    }

    /** What the tenant's calls cost today (UTC). */
    public double spentToday(String tenant) {
        Day d = spent.get(tenantOf(tenant));
        return d != null && d.date().equals(LocalDate.now(clock.withZone(ZoneOffset.UTC))) ? d.usd() : 0;
    }

    /** Why the tenant may not make another model call today, or empty when it may. */
    public Optional<String> refusal(String tenant) {
        Optional<Double> limit = limit(tenant);
        double today = spentToday(tenant);
        if (limit.isEmpty() || today < limit.get()) {
            return Optional.empty();
        }
        String t = tenantOf(tenant);
        return Optional.of(String.format(Locale.ROOT, "tenant '%s' reached its daily budget of $%.2f (spent $%.4f "
                + "today, UTC): the task stopped before its next model call. Raise codetether.agent.budgets.tenants.%s "
                + "(or codetether.agent.budgets.daily-usd) or wait for the next UTC day.", t, limit.get(), today, t));
    }
}
