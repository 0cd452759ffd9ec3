package run.codetether.agent.domain.loop;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.provider.ModelInfo;
import run.codetether.agent.domain.session.Session;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.Usage;

/**
 * What a run spent and when its session is saved.
 *
 * <p>Save policy: a run that dies anywhere continues on another worker from the last save. The assistant turn is
 * saved before its calls run, awaited when any call may change something (its call ids are durable before it runs)
 * and sent without waiting when every call is read-only or there is none (if that save is lost, the resumed run asks
 * the model again and nothing happened in between; a final answer's end-state save follows at once, awaited). A
 * replayable result (tools-service's: the same call id is answered from its idempotency store) is sent without
 * waiting; the next awaited save of the context fails if such a save failed. A result that carries session state (todos, a sub-agent's answer) is awaited. Thread-safe: no per-run state.
 */
final class RunLedger {
    private static final Logger LOG = Logger.getLogger(RunLedger.class);
    private final SessionStore sessions;
    private final TenantBudgets budgets;

    RunLedger(SessionStore sessions, TenantBudgets budgets) {
        this.sessions = sessions;
        this.budgets = budgets;
    }

    /**
     * The tenant the task was submitted under ({@link TenantBudgets#DEFAULT_TENANT} when none): the one kept with
     * the task, so a continued task (an input-required answer, whose command carries no tenant) still counts there.
     */
    static String tenant(RunContext cx) {
        if (cx.task != null && cx.task.tenant != null) {
            return TenantBudgets.tenantOf(cx.task.tenant);
        }
        return TenantBudgets.tenantOf(cx.run.command() instanceof TaskCommand.StartTask s ? s.tenant() : null);
    }

    /**
     * Admits the task's next model call against its tenant's budget, reserving the call's maximum cost (from the
     * request's size and the model's prices) until {@link #spent(RunContext, run.codetether.agent.domain.model.Usage,
     * TenantBudgets.Reservation)} or {@link #release}; refused when the budget is spent (or reserved).
     */
    TenantBudgets.Admission admit(RunContext cx, ModelRequest request) {
        ModelInfo info = cx.model == null ? null : cx.model.info();
        double max = 0;
        if (priced(info)) {
            long chars = request.systemPrompt() == null ? 0 : request.systemPrompt().length();
            for (ChatMessage m : request.messages()) {
                chars += m.size();
            }
            for (ToolSpec t : request.tools()) {
                chars += t.name().length() + (t.description() == null ? 0 : t.description().length())
                        + (t.parametersJsonSchema() == null ? 0 : t.parametersJsonSchema().length());
            }
            max = info.maxCost(chars);
        }
        return budgets.admit(tenant(cx), max);
    }

    /** Ends a reservation whose call failed (a settled one is left alone). */
    void release(TenantBudgets.Reservation r) {
        budgets.release(r);
    }

    Optional<Session> load(String contextId) {
        return sessions.load(contextId);
    }

    /**
     * Adds one model call's tokens to the task, and its cost (each disjoint part of its usage at its catalog price)
     * when the model has a price; returns the call's own usage as clients see it.
     */
    Usage spent(RunContext cx, run.codetether.agent.domain.model.Usage u) {
        return spent(cx, u, null);
    }

    /** As {@link #spent(RunContext, run.codetether.agent.domain.model.Usage)}, settling the call's reservation. */
    Usage spent(RunContext cx, run.codetether.agent.domain.model.Usage u, TenantBudgets.Reservation reservation) {
        // a task counts in its tenant's day on the replica of its first model call only: a run that took the task
        // over (or continued it) finds the earlier calls' tokens in the saved task, so it does not count it again
        boolean counted = cx.task.inputTokens + cx.task.outputTokens + cx.task.cacheReadTokens
                + cx.task.cacheWriteTokens > 0;
        cx.task.inputTokens += u.inputTokens();
        cx.task.outputTokens += u.outputTokens();
        cx.task.cacheReadTokens += u.cacheReadTokens();
        cx.task.cacheWriteTokens += u.cacheWriteTokens();
        ModelInfo info = cx.model.info();
        boolean priced = priced(info);
        double cost = priced ? info.cost(u) : 0;
        if (priced) { // an unpriced call's cost is unknown: it adds nothing to the task's cost or the tenant's day
            cx.task.costUsd += cost;
        }
        // its tokens count in the tenant's day either way (per-day stats), its cost only when priced
        CallSpend call = new CallSpend(info == null ? null : info.provider(), info == null ? null : info.model(),
                u, priced ? cost : null, counted ? null : cx.taskId());
        if (reservation == null) {
            budgets.add(tenant(cx), call);
        } else {
            budgets.settle(reservation, call);
        }
        return new Usage(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(),
                priced ? cost : null, priced);
    }

    private static boolean priced(ModelInfo info) {
        return info != null && info.priced();
    }

    /** The task's usage so far; unpriced (no cost) when the model has no price in the catalog. */
    Usage usage(RunContext cx) {
        ModelInfo info = cx.model == null ? null : cx.model.info();
        boolean priced = priced(info);
        return new Usage(cx.task.inputTokens, cx.task.outputTokens, cx.task.cacheReadTokens, cx.task.cacheWriteTokens,
                priced ? cx.task.costUsd : null, priced);
    }

    /**
     * Saves the assistant turn that was just added, before any of its calls runs. A final answer (no calls) is only
     * sent: the run ends at once with an awaited save of its end state, which fails if this one was lost.
     */
    void saveTurn(RunContext cx, List<ToolCall> calls) {
        if (calls.stream().allMatch(c -> cx.catalog.readOnly(c.name()))) {
            saveSoon(cx);
        } else {
            save(cx);
        }
    }

    /** Saves a call's result that was just added. */
    void saveResult(RunContext cx, boolean replayable) {
        if (replayable) {
            saveSoon(cx);
        } else {
            save(cx);
        }
    }

    /** Returns once the session is durable. */
    void save(RunContext cx) {
        if (cx.run.abandoned()) {
            throw new TaskRun.Stop();
        }
        cx.session.updatedAt = Instant.now();
        sessions.save(cx.session);
    }

    void saveSoon(RunContext cx) {
        if (cx.run.abandoned()) {
            throw new TaskRun.Stop();
        }
        cx.session.updatedAt = Instant.now();
        sessions.saveSoon(cx.session);
    }

    /** The end state of a stopped run: a failure to save it is logged, the cancel goes out anyway. */
    void saveQuietly(RunContext cx) {
        try {
            save(cx);
        } catch (RuntimeException e) {
            LOG.warnf("could not save canceled state of %s: %s", cx.run.taskId(), e.getMessage());
        }
    }
}
