package run.codetether.agent.domain.loop;

import java.util.Map;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.Usage;

/**
 * A model call the task makes besides its turns (a loop tool such as RLM, the compactor), metered like a turn's own
 * call ({@code TurnRunner.next}): admitted against the tenant's daily budget with its maximum cost reserved, its
 * usage added to the task and to the tenant's day per provider and model (settling the reservation), and a WORKING
 * update that carries this call's usage, so the clients' running sum while the task runs reaches the final total.
 */
final class MeteredChat {
    private MeteredChat() {}

    /** The reply and what the call cost, as clients see it. */
    record Metered(ModelReply reply, Usage usage) {}

    /**
     * @param details metadata of the WORKING update (e.g. that the compactor summarized)
     * @throws ProviderException the provider's failure, or the tenant's budget refusing the call (nothing was sent)
     */
    static Metered chat(RunContext cx, ModelRequest request, Map<String, Object> details)
            throws ProviderException, InterruptedException {
        RunLedger ledger = cx.parts.ledger();
        TenantBudgets.Admission admission = ledger.admit(cx, request);
        if (admission instanceof TenantBudgets.Refused refused) {
            throw new ProviderException(ProviderException.Kind.BAD_REQUEST, refused.reason());
        }
        TenantBudgets.Reservation reservation = (TenantBudgets.Reservation) admission;
        Metered metered;
        try {
            ModelReply reply = Blocking.call(() -> cx.model.chat().chat(request, d -> {}), ProviderException.class);
            metered = new Metered(reply, ledger.spent(cx, reply.usage(), reservation));
        } finally {
            ledger.release(reservation); // a failed or interrupted call frees what it reserved
        }
        cx.parts.reporter().status(cx, TaskState.WORKING, null, Progress.step(cx.task.steps)
                .withModel(cx.model.provider(), cx.model.modelId()).withUsage(metered.usage()), details);
        return metered;
    }
}
