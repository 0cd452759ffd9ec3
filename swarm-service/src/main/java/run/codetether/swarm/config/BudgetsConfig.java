package run.codetether.swarm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The tenants' daily budgets, read under the agent's names ({@code codetether.agent.budgets.*}) on purpose: a tenant
 * has one budget, which its agents' and its swarm coordinators' model calls spend together (docs/providers.md
 * "Budgets"), so one setting (one environment variable, one ConfigMap entry) serves both services and cannot drift.
 */
@ConfigMapping(prefix = "codetether.agent.budgets")
public interface BudgetsConfig {
    /** Daily budget (USD, UTC day) of every tenant without its own; default none (unlimited). */
    Optional<Double> dailyUsd();

    /** Daily budget per tenant ({@code tenants.<tenant>=<usd>}; tenant {@code default} = tasks without one); default none. */
    Map<String, Double> tenants();

    /**
     * Share the coordinator's spend over {@code tenants.spend} with the agents and the gateway's stats, and read
     * theirs for the budget check; false keeps this instance's own calls in memory only; default true.
     */
    @WithDefault("true")
    boolean shared();

    /** Longest this instance waits before it publishes a tenant's changed spend; default 1s. */
    @WithDefault("1s")
    Duration publishInterval();

    /** How long the start waits to read {@code tenants.spend}; tenants with a budget are refused until then; default 30s. */
    @WithDefault("30s")
    Duration catchUpTimeout();

    /** Days of {@code tenants.spend} records kept (older ones are tombstoned); at least 2; default 35. */
    @WithDefault("35")
    int retentionDays();
}
