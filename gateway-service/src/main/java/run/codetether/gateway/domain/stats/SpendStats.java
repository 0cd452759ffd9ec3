package run.codetether.gateway.domain.stats;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.contracts.budget.TenantSpend;

/**
 * The tenants' spend per UTC day as the agent replicas publish it on {@code tenants.spend}: the latest record of
 * every tenant/day/replica key (a tombstone removes it), summed over replicas when asked. Each record is a replica's
 * cumulative figure for the day, so the sum over replicas is the day's spend, exact and unchanged by a record read
 * twice. Thread-safe.
 */
public final class SpendStats {

    /** One tenant's day, summed over replicas. {@code costUsd} is null when no call of the day had a price. */
    public record Day(LocalDate day, String tenant, long tasks, long calls, long unpricedCalls, long tokensIn,
            long tokensOut, long cacheReadTokens, long cacheWriteTokens, Double costUsd, int replicas) {}

    /**
     * One tenant's day for one provider and model, summed over replicas. {@code costUsd} is null when the model is
     * unpriced (on any replica): its cost is unknown, never 0.
     */
    public record ModelDay(LocalDate day, String tenant, String provider, String model, long tasks, long calls,
            long tokensIn, long tokensOut, long cacheReadTokens, long cacheWriteTokens, Double costUsd) {}

    /** The answer to one query: per tenant-day, and per tenant-day-model. */
    public record Report(List<Day> days, List<ModelDay> models) {}

    private final Map<String, TenantSpend> latest = new ConcurrentHashMap<>();

    /** Applies a record read from the topic: the latest of its key, or null (tombstone) to forget the key. */
    public void apply(String key, TenantSpend spend) {
        if (key == null) {
            return;
        }
        if (spend == null) {
            latest.remove(key);
        } else {
            latest.put(key, spend);
        }
    }

    /** Records held (one per tenant/day/replica). */
    public int size() {
        return latest.size();
    }

    /**
     * The days {@code from..to} (inclusive) of the tenants given, or of every tenant when {@code tenants} is empty;
     * sorted by day, tenant, provider and model. Days without a record are absent.
     */
    public Report query(LocalDate from, LocalDate to, Optional<Set<String>> tenants) {
        Map<String, List<TenantSpend>> byTenantDay = new TreeMap<>();
        for (TenantSpend s : latest.values()) {
            if (s.day().isBefore(from) || s.day().isAfter(to)
                    || tenants.map(t -> !t.contains(s.tenant())).orElse(false)) {
                continue;
            }
            byTenantDay.computeIfAbsent(s.day() + "\u0000" + s.tenant(), k -> new ArrayList<>()).add(s);
        }
        List<Day> days = new ArrayList<>();
        List<ModelDay> models = new ArrayList<>();
        for (List<TenantSpend> replicas : byTenantDay.values()) {
            days.add(sum(replicas));
            models.addAll(perModel(replicas));
        }
        return new Report(days, models);
    }

    private static Day sum(List<TenantSpend> replicas) {
        TenantSpend first = replicas.get(0);
        long tasks = 0, calls = 0, unpriced = 0, in = 0, out = 0, cr = 0, cw = 0;
        double cost = 0;
        for (TenantSpend s : replicas) {
            tasks += s.tasks();
            calls += s.calls();
            unpriced += s.unpricedCalls();
            in += s.tokensIn();
            out += s.tokensOut();
            cr += s.cacheReadTokens();
            cw += s.cacheWriteTokens();
            cost += s.costUsd();
        }
        // a day whose every call was unpriced has an unknown cost, not $0
        Double usd = calls > 0 && unpriced == calls ? null : cost;
        return new Day(first.day(), first.tenant(), tasks, calls, unpriced, in, out, cr, cw, usd, replicas.size());
    }

    private static List<ModelDay> perModel(List<TenantSpend> replicas) {
        Map<String, ModelDay> m = new TreeMap<>();
        for (TenantSpend s : replicas) {
            for (TenantSpend.ModelSpend x : s.models()) {
                ModelDay add = new ModelDay(s.day(), s.tenant(), x.provider(), x.model(), x.tasks(), x.calls(),
                        x.tokensIn(), x.tokensOut(), x.cacheReadTokens(), x.cacheWriteTokens(), x.costUsd());
                m.merge(x.provider() + "\u0000" + x.model(), add, (a, b) -> new ModelDay(a.day(), a.tenant(),
                        a.provider(), a.model(), a.tasks() + b.tasks(), a.calls() + b.calls(),
                        a.tokensIn() + b.tokensIn(), a.tokensOut() + b.tokensOut(),
                        a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(),
                        a.costUsd() == null || b.costUsd() == null ? null : a.costUsd() + b.costUsd()));
            }
        }
        List<ModelDay> out = new ArrayList<>(m.values());
        out.sort(Comparator.comparing(ModelDay::provider).thenComparing(ModelDay::model));
        return out;
    }
}
