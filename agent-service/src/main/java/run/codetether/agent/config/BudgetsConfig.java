package run.codetether.agent.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/** Per-tenant daily budgets in USD, prefix {@code codetether.agent.budgets}. */
@ConfigMapping(prefix = "codetether.agent.budgets")
public interface BudgetsConfig {
    /** Daily budget (USD, UTC day) of every tenant without its own; default none (unlimited). */
    Optional<Double> dailyUsd();

    /** Daily budget per tenant ({@code tenants.<tenant>=<usd>}; tenant {@code default} = tasks without one); default none. */
    Map<String, Double> tenants();
}
