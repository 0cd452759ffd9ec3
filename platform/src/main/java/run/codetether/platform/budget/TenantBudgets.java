package run.codetether.platform.budget;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Per-tenant daily budgets in USD ({@code codetether.agent.budgets.*}): what each tenant's model calls cost today
 * (UTC), and whether it may make another call. A task is checked before each model call: once its tenant's spend
 * today reached the budget, the task stops FAILED with the reason, before it spends more. Unpriced calls (model not
 * in the catalog) add no cost: their price is unknown. Thread-safe.
 *
 * <p>Reservation: {@link #admit} reserves a call's maximum cost (an upper bound from its prompt size and the model's
 * prices) before the call and {@link #settle} replaces it with the reported cost after; a call is admitted only while
 * the spend plus this replica's reservations of calls in flight is under the budget. So the calls one replica runs at
 * once cannot together pass the budget by more than the one call admitted last (its own maximum cost).
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
    /** Tenant -> USD reserved by this replica's calls in flight; guarded by this. */
    private final Map<String, Double> reserved = new HashMap<>();

    /** A model call's admission: refused with the reason, or admitted holding a reservation until settled. */
    public sealed interface Admission permits Refused, Reservation {}

    /** The call may not run: the reason the task stops with. */
    public record Refused(String reason) implements Admission {}

    /** The call may run; {@code usd} stays reserved for the tenant until {@link #settle} or {@link #release}. */
    public static final class Reservation implements Admission {
        private final String tenant;
        private final double usd;
        private volatile boolean open = true; // changed under the TenantBudgets that made it when usd > 0

        private Reservation(String tenant, double usd) {
            this.tenant = tenant;
            this.usd = usd;
        }

        public double usd() {
            return usd;
        }
    }

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

    /** The budgets a service's settings ({@code codetether.agent.budgets.*}) set, over {@code ledger}'s spend. */
    public static TenantBudgets of(BudgetSettings settings, Clock clock, SpendLedger ledger) {
        return new TenantBudgets(settings.dailyUsd(), settings.tenants(), clock, ledger);
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

    /**
     * Admits a model call of the tenant whose cost is at most {@code maxCostUsd} (0 for an unpriced model), reserving
     * that much until {@link #settle}, or refuses it: the spend today plus the reservations of this replica's calls
     * in flight reached the budget. A tenant without a budget reserves nothing.
     */
    public Admission admit(String tenant, double maxCostUsd) {
        String t = tenantOf(tenant);
        if (limit(t).isEmpty()) {
            return new Reservation(t, 0); // nothing to check or hold: no monitor per model call (issue 18)
        }
        synchronized (this) {
            return admitLimited(t, maxCostUsd);
        }
    }

    private Admission admitLimited(String t, double maxCostUsd) {
        Optional<String> refused = refusal(t, limit(t));
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        double usd = limit(t).isEmpty() || !(maxCostUsd > 0) ? 0 : maxCostUsd;
        if (usd > 0) {
            reserved.merge(t, usd, Double::sum);
        }
        return new Reservation(t, usd);
    }

    /**
     * Adds the call's reported spend and ends its reservation, in one step (no check sees both or neither). A
     * reservation of nothing (no budget, or an unpriced model) has no step to guard: the spend is added without the
     * monitor, which 64 runs at once otherwise queue on once per model call (issue 18).
     */
    public void settle(Reservation r, CallSpend call) {
        if (r.usd == 0) {
            r.open = false;
            add(r.tenant, call);
            return;
        }
        synchronized (this) {
            add(r.tenant, call);
            release(r);
        }
    }

    /** Ends a reservation without spend (the call failed); a settled or released one is left alone. */
    public void release(Reservation r) {
        if (r.usd == 0) {
            r.open = false; // nothing was held
            return;
        }
        synchronized (this) {
            if (!r.open) {
                return;
            }
            r.open = false;
            reserved.computeIfPresent(r.tenant, (k, v) -> v - r.usd <= 1e-12 ? null : v - r.usd);
        }
    }

    /** What this replica's calls in flight of the tenant reserved (USD). */
    public synchronized double reservedNow(String tenant) {
        return reserved.getOrDefault(tenantOf(tenant), 0.0);
    }

    /** Why the tenant may not make another model call today, or empty when it may. */
    public Optional<String> refusal(String tenant) {
        Optional<Double> limit = limit(tenant);
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            return refusal(tenantOf(tenant), limit);
        }
    }

    private Optional<String> refusal(String t, Optional<Double> limit) {
        Optional<String> unknown = ledger.unavailable();
        if (unknown.isPresent()) {
            return Optional.of(String.format(Locale.ROOT, "tenant '%s' has a daily budget of $%.2f but today's spend "
                    + "is not known: %s. The task stopped before its next model call; it may run again once the "
                    + "spend is read.", t, limit.get(), unknown.get()));
        }
        double today = spentToday(t);
        double inFlight = reserved.getOrDefault(t, 0.0);
        if (today + inFlight < limit.get()) {
            return Optional.empty();
        }
        String held = inFlight > 0 ? String.format(Locale.ROOT, ", and $%.4f is reserved by its calls in flight",
                inFlight) : "";
        return Optional.of(String.format(Locale.ROOT, "tenant '%s' reached its daily budget of $%.2f (spent $%.4f "
                + "today, UTC%s): the task stopped before its next model call. Raise "
                + "codetether.agent.budgets.tenants.%s (or codetether.agent.budgets.daily-usd) or wait for the next UTC "
                + "day.", t, limit.get(), today, held, t));
    }
}
