package run.codetether.swarm.domain;

import java.util.Optional;
import java.util.function.Supplier;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.platform.budget.Tokens;

/**
 * The tenant's side of the coordinator's own model calls (its plan, a model check of a result, the written answer):
 * they are its tenant's spend, as an agent's are (docs/providers.md "Budgets"). Before each one the tenant's daily
 * budget is checked (a tenant that reached it stops the swarm FAILED with the reason, its running sub-agents
 * canceled: the coordinator's part), and each answered call is added to the tenant's day by the instance that made it
 * ({@link TenantBudgets}; shared over {@code tenants.spend} in the service). A successor that takes a swarm over
 * charges only the calls it makes itself, so every call is in the tenant's spend once.
 *
 * <p>Kept apart from {@link SwarmCoordinator} so that the coordinator keeps to the swarm's own lifecycle; this class
 * holds no state of its own and is called off the coordinator's lock.
 */
final class CoordinatorBudget {
    private final TenantBudgets budgets;

    CoordinatorBudget(TenantBudgets budgets) {
        this.budgets = budgets;
    }

    /** A tenant's budget refused the coordinator's call: the message is the budget's own reason. */
    static final class Refusal extends RuntimeException {
        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Runs one of the coordinator's own pieces of model work for a swarm: checks its tenant's budget first, then
     * meters the work ({@link CallMeter}) and charges each answered call to the tenant's day.
     *
     * @param checked whether the budget is checked first (false for work that makes no model call)
     * @param counted whether an earlier call of the swarm (its saved usage) already counted the swarm's task in the
     *     day's task count: then a successor that took it over does not count it again
     * @return the metered work; when the budget refused it, the work did not run and the failure is a {@link Refusal}
     */
    <T> CallMeter.Metered<T> call(SwarmCommand.StartSwarm cmd, boolean checked, boolean counted, Supplier<T> work) {
        Optional<String> refused = checked ? budgets.refusal(cmd.tenant()) : Optional.empty();
        if (refused.isPresent()) {
            return new CallMeter.Metered<>(null, new Refusal(refused.get()), null);
        }
        CallMeter.Metered<T> metered = CallMeter.measure(work);
        charge(cmd, metered, counted);
        return metered;
    }

    private void charge(SwarmCommand.StartSwarm cmd, CallMeter.Metered<?> work, boolean counted) {
        boolean first = !counted;
        for (CallMeter.Call c : work.calls()) {
            Usage u = c.usage();
            budgets.add(cmd.tenant(), new CallSpend(c.provider(), c.model(), Tokens.of(u.tokensIn(), u.tokensOut(),
                    u.cacheReadTokens(), u.cacheWriteTokens()), u.costUsd(), first ? cmd.taskId() : null));
            first = false;
        }
    }
}
