package run.codetether.contracts.budget;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import run.codetether.contracts.events.Required;

/**
 * What one agent-service replica's model calls for one tenant cost on one UTC day, CUMULATIVE since the day began:
 * published on {@link run.codetether.contracts.events.Topics#TENANTS_SPEND} (compacted) under {@link #key()}, so the
 * latest record per key replaces the earlier ones and a tenant's spend of a day is the sum over its replicas' latest
 * records. Publishing a record again (a retry, a restart that recovered it) changes nothing: the sum stays exact.
 *
 * <p>Token counts are the four disjoint parts of every call (priced or not; cache tokens apart, as the providers
 * report them); {@code costUsd} sums the priced calls only ({@code unpricedCalls} says how many had no price).
 *
 * <p>{@code tasks} counts the distinct tasks whose FIRST model call this replica made that day: a replica that took a
 * task (or a swarm) over finds the earlier calls' usage saved with it and does not count it again, so a sum over
 * replicas counts it once (a task whose first call was yesterday is not in today's count). Records written
 * before the field existed read as 0 tasks (backwards compatible: the field is optional on the wire).
 *
 * @param tenant the tenant ({@code default} for tasks without one)
 * @param day the UTC day
 * @param replica the agent-service instance id that made the calls
 * @param tasks distinct tasks whose first model call was on this replica that day (0 in records older than the field)
 * @param models the same figures per provider and model, so per-day stats can be split by model
 * @param updatedAt when the replica published this figure
 */
public record TenantSpend(String tenant, LocalDate day, String replica, double costUsd, long calls,
        long unpricedCalls, long tokensIn, long tokensOut, long cacheReadTokens, long cacheWriteTokens, long tasks,
        List<ModelSpend> models, Instant updatedAt) {

    public TenantSpend {
        Required.text(tenant, "tenant");
        Required.value(day, "day");
        Required.text(replica, "replica");
        if (!(costUsd >= 0) || calls < 0 || unpricedCalls < 0 || tokensIn < 0 || tokensOut < 0
                || cacheReadTokens < 0 || cacheWriteTokens < 0 || tasks < 0) {
            throw new IllegalArgumentException("spend figures must not be negative");
        }
        models = models == null ? List.of() : List.copyOf(models);
        updatedAt = updatedAt == null ? Instant.now() : updatedAt;
    }

    /** The record key: tenant, day and replica, each URL-encoded so that no two triples share a key. */
    public String key() {
        return key(tenant, day, replica);
    }

    public static String key(String tenant, LocalDate day, String replica) {
        return enc(tenant) + "/" + day + "/" + enc(replica);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * One provider/model's share of the day.
     *
     * @param costUsd the calls' cost; null when the model is unpriced (unknown, never 0)
     * @param tasks distinct tasks that called this model on this replica that day (0 in older records)
     */
    public record ModelSpend(String provider, String model, long calls, long tokensIn, long tokensOut,
            long cacheReadTokens, long cacheWriteTokens, Double costUsd, long tasks) {
        public ModelSpend {
            Required.text(provider, "provider");
            Required.text(model, "model");
            if (calls < 0 || tokensIn < 0 || tokensOut < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0
                    || tasks < 0 || (costUsd != null && !(costUsd >= 0))) {
                throw new IllegalArgumentException("spend figures must not be negative");
            }
        }
    }
}
