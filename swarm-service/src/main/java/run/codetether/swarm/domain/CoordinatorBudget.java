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
 * they are its tenant's spend, as an agent's are (docs/providers.md "Budgets"), and held to the budget the same way.
 * Each call is admitted before it is sent with its maximum cost RESERVED ({@link TenantBudgets#admit}: the adapter
 * estimates it from the catalog's prices, the call's prompt size and the model's max output), and settled with the
 * reported usage when it answers (a failed call frees its reservation). So the parallel swarms and agents of one
 * tenant on one replica cannot together pass its budget by more than the one call admitted last, the agent's bound.
 * A refused call stops the swarm FAILED with the budget's reason, its running sub-agents canceled (the
 * coordinator's part). Each answered call is added to the tenant's day by the instance that made it (shared over
 * {@code tenants.spend} in the service); a successor that takes a swarm over charges only the calls it makes itself,
 * so every call is in the tenant's spend once.
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
     * runs the work with each of its model calls admitted (maximum cost reserved) and settled against the tenant's
     * day ({@link CallMeter}).
     *
     * @param checked whether the budget is checked before the work starts (false for work that makes no model
     *     call); each call the work makes is admitted either way
     * @param counted whether an earlier call of the swarm (its saved usage) already counted the swarm's task in the
     *     day's task count: then a successor that took it over does not count it again
     * @return the metered work; when the budget refused it or one of its calls, the failure is a {@link Refusal}
     *     (also when the work caught it: a refused call is never reported as a model failure)
     */
    <T> CallMeter.Metered<T> call(SwarmCommand.StartSwarm cmd, boolean checked, boolean counted, Supplier<T> work) {
        Optional<String> refused = checked ? budgets.refusal(cmd.tenant()) : Optional.empty();
        if (refused.isPresent()) {
            return new CallMeter.Metered<>(null, new Refusal(refused.get()), null);
        }
        TenantGate gate = new TenantGate(cmd, counted);
        CallMeter.Metered<T> metered = CallMeter.measure(gate, work);
        if (gate.refusal != null) {
            return new CallMeter.Metered<>(null, gate.refusal, metered.calls());
        }
        return metered;
    }

    /** Admits one swarm's calls against its tenant's budget; used on the one thread that runs the work. */
    private final class TenantGate implements CallMeter.Gate {
        private final SwarmCommand.StartSwarm cmd;
        private boolean counted;
        private Refusal refusal;

        TenantGate(SwarmCommand.StartSwarm cmd, boolean counted) {
            this.cmd = cmd;
            this.counted = counted;
        }

        @Override
        public CallMeter.Ticket admit(double maxCostUsd) {
            TenantBudgets.Admission admission = budgets.admit(cmd.tenant(), maxCostUsd);
            if (admission instanceof TenantBudgets.Refused r) {
                refusal = new Refusal(r.reason());
                throw refusal;
            }
            TenantBudgets.Reservation reservation = (TenantBudgets.Reservation) admission;
            return new CallMeter.Ticket() {
                @Override
                public void answered(CallMeter.Call c) {
                    Usage u = c.usage();
                    // the swarm's task counts in the day's task count with its first answered call only
                    budgets.settle(reservation, new CallSpend(c.provider(), c.model(), Tokens.of(u.tokensIn(),
                            u.tokensOut(), u.cacheReadTokens(), u.cacheWriteTokens()), u.costUsd(),
                            counted ? null : cmd.taskId()));
                    counted = true;
                }

                @Override
                public void released() {
                    budgets.release(reservation);
                }
            };
        }
    }
}
