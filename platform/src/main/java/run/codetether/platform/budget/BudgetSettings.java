package run.codetether.platform.budget;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * THE definition of the tenants' budget settings, {@code codetether.agent.budgets.*}: a tenant has one budget, which
 * its agents' and its swarm coordinators' model calls spend together (docs/providers.md "Budgets"), so one setting
 * (one environment variable, one ConfigMap entry, one Helm value) serves agent-service and swarm-service and cannot
 * drift. Each service maps it with its own {@code @ConfigMapping(prefix = "codetether.agent.budgets")} interface that
 * extends this one and adds nothing (SmallRye maps a mapping's super-interface methods with their defaults); the
 * mapping itself stays in the services because every Quarkus service indexes this library, and a mapping here would
 * be bound in services that have no budget.
 */
public interface BudgetSettings {
    /** The prefix both services map. */
    String PREFIX = "codetether.agent.budgets";

    /** Daily budget (USD, UTC day) of every tenant without its own; default none (unlimited). */
    Optional<Double> dailyUsd();

    /** Daily budget per tenant ({@code tenants.<tenant>=<usd>}; tenant {@code default} = tasks without one); default none. */
    Map<String, Double> tenants();

    /**
     * Share the tenants' spend with every agent replica and swarm coordinator over the Kafka topic
     * {@code tenants.spend} (and recover it after a restart); false keeps it in this replica's memory only (N replicas
     * then allow N budgets); default true.
     */
    @WithDefault("true")
    boolean shared();

    /**
     * Longest a replica waits before it publishes a tenant's changed spend; other replicas see a call's cost at most
     * this long (plus ~0.1 s) after it ended, which bounds the overshoot (docs/providers.md); default 1s.
     */
    @WithDefault("1s")
    Duration publishInterval();

    /**
     * How long the start waits to read {@code tenants.spend} to its end; tenants with a budget are refused until it
     * is read; default 30s.
     */
    @WithDefault("30s")
    Duration catchUpTimeout();

    /**
     * Days of {@code tenants.spend} records kept: every replica deletes (tombstones) the records of days more than
     * this many days before today (UTC), so the compacted topic does not grow forever and {@code GET /v1/stats} can
     * report that far back; at least 2 (a budget reads today and yesterday); default 35.
     */
    @WithDefault("35")
    int retentionDays();
}
