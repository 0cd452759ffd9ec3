package run.codetether.swarm.config;

import io.smallrye.config.ConfigMapping;
import run.codetether.platform.budget.BudgetSettings;

/**
 * The tenants' daily budgets, read under the agent's names ({@code codetether.agent.budgets.*}) on purpose: a tenant
 * has one budget, which its agents' and its swarm coordinators' model calls spend together (docs/providers.md
 * "Budgets"). The settings and their defaults are {@link BudgetSettings}, the one definition agent-service maps too,
 * so one setting (one environment variable, one ConfigMap entry, one Helm value) serves both and cannot drift.
 */
@ConfigMapping(prefix = BudgetSettings.PREFIX)
public interface BudgetsConfig extends BudgetSettings {}
