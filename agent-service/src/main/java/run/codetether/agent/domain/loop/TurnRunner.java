package run.codetether.agent.domain.loop;

import java.time.Duration;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/**
 * One model turn: the request (system prompt, the conversation as the model sees it, the offered tools), partial
 * text streamed to the client as it arrives (answer-artifact chunks of the new text, {@link AnswerStream}), and the
 * turn's tokens on the task, reported with the next step's first tool update when a further step follows ({@link #report}).
 * A provider failure fails the task with the provider's message.
 */
final class TurnRunner {
    private final RunLedger ledger;
    private final StatusReporter reporter;
    private final TaskMetrics metrics;

    TurnRunner(RunLedger ledger, StatusReporter reporter, TaskMetrics metrics) {
        this.ledger = ledger;
        this.reporter = reporter;
        this.metrics = metrics;
    }

    /** The model's reply, its calls with ids assigned where the provider gave none. */
    ModelReply next(RunContext cx) throws InterruptedException {
        ModelRequest request = new ModelRequest(cx.model.modelId(), SystemPrompt.build(cx.session.contextId,
                cx.catalog.specs(), cx.workspaceNote()), cx.session.modelView(), cx.catalog.specs());
        int step = cx.task.steps + 1;
        reporter.turnBeforeText(cx);
        PartialText partial = new PartialText(reporter, cx, step);
        long start = System.nanoTime();
        ModelReply reply;
        TenantBudgets.Admission admission = ledger.admit(cx, request);
        if (admission instanceof TenantBudgets.Refused refused) {
            reporter.fail(cx, refused.reason());
            throw new Ended();
        }
        TenantBudgets.Reservation reservation = (TenantBudgets.Reservation) admission;
        run.codetether.contracts.events.Usage spent;
        try {
            try {
                reply = Blocking.call(() -> cx.model.chat().chat(request, partial), ProviderException.class);
            } catch (ProviderException e) {
                cx.checkStop();
                reporter.fail(cx, e.getMessage());
                throw new Ended();
            }
            cx.task.steps = step;
            spent = ledger.spent(cx, reply.usage(), reservation);
        } finally {
            ledger.release(reservation); // a failed or interrupted call frees what it reserved; a settled one holds none
        }
        metrics.step(cx.model.provider(), cx.model.modelId(), Duration.ofNanos(System.nanoTime() - start));
        cx.lastTurn = Progress.step(step).withModel(cx.model.provider(), cx.model.modelId()).withUsage(spent);
        return new ModelReply(reply.text(), cx.withIds(reply.toolCalls()), reply.usage());
    }

    /**
     * The model-turn update of the turn {@link #next} returned: that call's own usage (clients sum these while the
     * task runs). Reported only when a further step follows (the turn has calls), and then on the step's first tool
     * update rather than a status of its own ({@link TurnUsage}: one record less per step, issue 20). A turn that
     * ends the task is folded into the final status, which carries the step, the model and the task's total usage
     * (issue 18: one record less per task).
     */
    void report(RunContext cx) {
        cx.turnUpdate = cx.lastTurn; // StatusReporter#publish puts it on the step's next event (TurnUsage#carry)
        cx.lastTurn = null;
    }

    /**
     * The answer as it grows, sent as chunks of the task's answer artifact: each carries only the text that came
     * in since the chunk before ({@link AnswerStream} decides when, holding the turn's first text briefly), the
     * turn's first chunk replaces what an earlier turn streamed. The finished answer closes them ({@link
     * StatusReporter#complete}). Runs on the provider's streaming thread; a chunk may go out on the stream's timer.
     */
    private static final class PartialText implements java.util.function.Consumer<String> {
        private final RunContext cx;

        PartialText(StatusReporter reporter, RunContext cx, int step) {
            this.cx = cx;
            cx.answer.newTurn(chunk -> reporter.publishChunk(cx, TaskEvent.ArtifactAdded.textChunk(cx.run.taskId(),
                    cx.run.contextId(), cx.workerId(), Artifact.answerId(cx.run.taskId()), Artifact.ANSWER,
                    chunk.text(), chunk.offset(), step)));
        }

        @Override
        public void accept(String delta) {
            if (cx.run.canceled()) {
                return;
            }
            cx.answer.offer(delta);
        }
    }
}
