package run.codetether.agent.domain.loop;

import java.util.List;
import run.codetether.agent.domain.dispatch.AgentTools;
import run.codetether.agent.domain.dispatch.CallGate;
import run.codetether.agent.domain.dispatch.Dispatched;
import run.codetether.agent.domain.dispatch.ShownResult;
import run.codetether.agent.domain.dispatch.ToolCatalog;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.contracts.events.Progress;

/**
 * Runs the open calls of a turn in order, each through the same steps: check (arguments parsed once; a malformed
 * call never runs, the {@code invalid} answer tells the model what is wrong), gate (may it run?), dispatch by the
 * tool's kind, and the result saved at once (see {@link RunLedger} for when a save is awaited).
 */
final class ToolCallRunner {
    private final CallGate gate;
    private final RunLedger ledger;
    private final StatusReporter reporter;

    ToolCallRunner(CallGate gate, RunLedger ledger, StatusReporter reporter) {
        this.gate = gate;
        this.ledger = ledger;
        this.reporter = reporter;
    }

    /** @return false when the run now waits for the user */
    boolean runAll(RunContext cx, List<ToolCall> calls) throws InterruptedException {
        for (ToolCall call : calls) {
            cx.checkStop();
            switch (cx.catalog.check(call)) {
                case ToolCatalog.Checked.Invalid invalid -> answer(cx, call, AgentTools.INVALID,
                        Dispatched.Answered.inSession(invalid.problem(), true));
                case ToolCatalog.Checked.Valid valid -> {
                    if (!run(cx, valid.invocation())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private boolean run(RunContext cx, ToolInvocation call) throws InterruptedException {
        switch (gate.check(call, cx)) {
            case CallGate.Decision.Refuse refused -> {
                answer(cx, call.call(), call.name(), Dispatched.Answered.inSession(refused.reason(), true));
                return true;
            }
            case CallGate.Decision.Ask ask -> {
                reporter.awaitApproval(cx, ask.text(), ask.request());
                return false;
            }
            case CallGate.Decision.Proceed proceed -> {
                // runs below
            }
        }
        switch (call.tool().dispatch().dispatch(call, cx)) {
            case Dispatched.Answered a -> answer(cx, call.call(), call.name(), a);
            case Dispatched.AwaitingInput q -> {
                reporter.awaitInput(cx, call.id(), q.question(), q.details());
                return false;
            }
        }
        return true;
    }

    /** Saves the result, then tells the client the call ended and what it returned. */
    private void answer(RunContext cx, ToolCall call, String tool, Dispatched.Answered a) {
        cx.session.messages.add(new ChatMessage.ToolResult(call.id(), tool, a.content(), a.error(), a.images()));
        if (!a.images().isEmpty()) {
            run.codetether.agent.domain.model.ImagePart.keepNewest(cx.session.messages);
        }
        ledger.saveResult(cx, a.replayable());
        cx.progress(null, Progress.step(cx.task.steps).withTool(tool, call.id()), ShownResult.of(a.content(), a.error()));
    }
}
