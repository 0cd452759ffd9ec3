package run.codetether.agent.config;

import io.smallrye.config.ConfigMapping;
import run.codetether.platform.budget.BudgetSettings;

/**
 * Per-tenant daily budgets in USD, prefix {@code codetether.agent.budgets}: the settings and their defaults are
 * {@link BudgetSettings}, the one definition swarm-service maps too (one budget per tenant, one setting).
 */
@ConfigMapping(prefix = BudgetSettings.PREFIX)
public interface BudgetsConfig extends BudgetSettings {}
