package run.codetether.platform.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.contracts.budget.TenantSpend;

/**
 * One replica's own spend per tenant and UTC day, in memory: the cumulative figures it publishes as
 * {@link TenantSpend} records, and on its own the per-replica {@link SpendLedger} (budgets not shared). Days before
 * yesterday are forgotten as new calls come in (a budget only looks at today). Thread-safe.
 */
public final class DailySpend implements SpendLedger {

    /** A tenant's day. */
    public record TenantDay(String tenant, LocalDate day) {}

    private final Map<TenantDay, Tally> days = new ConcurrentHashMap<>();
    /** The day {@link #add} last dropped older days for. */
    private volatile LocalDate prunedFor;

    @Override
    public void add(String tenant, LocalDate day, CallSpend call) {
        if (!day.equals(prunedFor)) { // once per day, not a scan of the map per model call (issue 18)
            prunedFor = day;
            days.keySet().removeIf(k -> k.day().isBefore(day.minusDays(1)));
        }
        days.computeIfAbsent(new TenantDay(tenant, day), k -> new Tally()).add(call);
    }

    @Override
    public double spent(String tenant, LocalDate day) {
        Tally t = days.get(new TenantDay(tenant, day));
        return t == null ? 0 : t.cost();
    }

    /**
     * Adds a figure this replica published before it restarted (same replica id), so its next record continues
     * from there instead of replacing the day's spend with a smaller one.
     */
    public void restore(TenantSpend s) {
        days.computeIfAbsent(new TenantDay(s.tenant(), s.day()), k -> new Tally()).add(s);
    }

    /** The tenant's day as the record this replica publishes, or empty when it made no call that day. */
    public Optional<TenantSpend> snapshot(TenantDay key, String replica, Instant now) {
        Tally t = days.get(key);
        return t == null ? Optional.empty() : Optional.of(t.snapshot(key, replica, now));
    }

    /**
     * One tenant-day. Tasks are counted as distinct ids of this process plus the count a restored record carried
     * (a task that called before and after a restart counts twice; the ids of a day are not published).
     */
    private static final class Tally {
        private double cost;
        private long calls;
        private long unpriced;
        private long in;
        private long out;
        private long cacheRead;
        private long cacheWrite;
        private long restoredTasks;
        private final Set<String> taskIds = new HashSet<>();
        private final Map<String, TenantSpend.ModelSpend> models = new LinkedHashMap<>();
        private final Map<String, Set<String>> modelTaskIds = new HashMap<>();

        synchronized double cost() {
            return cost;
        }

        synchronized void add(CallSpend c) {
            var u = c.usage();
            count(c.costUsd(), 1, c.costUsd() == null ? 1 : 0, u.inputTokens(), u.outputTokens(), u.cacheReadTokens(),
                    u.cacheWriteTokens());
            TenantSpend.ModelSpend m = new TenantSpend.ModelSpend(c.provider(), c.model(), 1, u.inputTokens(),
                    u.outputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), c.costUsd(), 0);
            merge(m);
            if (c.taskId() != null) {
                taskIds.add(c.taskId());
                modelTaskIds.computeIfAbsent(modelKey(m), k -> new HashSet<>()).add(c.taskId());
            }
        }

        synchronized void add(TenantSpend s) {
            count(s.costUsd(), s.calls(), s.unpricedCalls(), s.tokensIn(), s.tokensOut(), s.cacheReadTokens(),
                    s.cacheWriteTokens());
            restoredTasks += s.tasks();
            s.models().forEach(this::merge);
        }

        private void count(Double usd, long n, long unpricedCalls, long i, long o, long cr, long cw) {
            cost += usd == null ? 0 : usd;
            calls += n;
            unpriced += unpricedCalls;
            in += i;
            out += o;
            cacheRead += cr;
            cacheWrite += cw;
        }

        private static String modelKey(TenantSpend.ModelSpend m) {
            return m.provider() + "/" + m.model();
        }

        private void merge(TenantSpend.ModelSpend m) {
            models.merge(modelKey(m), m, (a, b) -> new TenantSpend.ModelSpend(a.provider(),
                    a.model(), a.calls() + b.calls(), a.tokensIn() + b.tokensIn(), a.tokensOut() + b.tokensOut(),
                    a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(),
                    // one unpriced call makes the model's cost unknown, as the catalog prices a model or not at all
                    a.costUsd() == null || b.costUsd() == null ? null : a.costUsd() + b.costUsd(),
                    a.tasks() + b.tasks()));
        }

        synchronized TenantSpend snapshot(TenantDay key, String replica, Instant now) {
            List<TenantSpend.ModelSpend> perModel = new ArrayList<>();
            for (var e : models.entrySet()) {
                TenantSpend.ModelSpend m = e.getValue();
                long tasks = m.tasks() + modelTaskIds.getOrDefault(e.getKey(), Set.of()).size();
                perModel.add(new TenantSpend.ModelSpend(m.provider(), m.model(), m.calls(), m.tokensIn(),
                        m.tokensOut(), m.cacheReadTokens(), m.cacheWriteTokens(), m.costUsd(), tasks));
            }
            return new TenantSpend(key.tenant(), key.day(), replica, cost, calls, unpriced, in, out, cacheRead,
                    cacheWrite, restoredTasks + taskIds.size(), perModel, now);
        }
    }

    /** The tenant-days this replica has figures for (today and yesterday at most). */
    public List<TenantDay> keys() {
        return List.copyOf(days.keySet());
    }
}
