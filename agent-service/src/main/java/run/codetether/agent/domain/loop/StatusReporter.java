package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.session.TaskProgress.State;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.approval.ApprovalRequest;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Everything a run tells the outside: progress, and each end (completed, failed, canceled, input-required) with
 * its artifacts, the task's cumulative usage and metrics. An end state is saved before it is published; once saved,
 * it is published even by a run handed over meanwhile ({@link TaskRun#ending}). A handed-over run publishes nothing
 * else. A redelivered command that finds its task ended (or waiting for input) in the session publishes that end
 * (or question) again unless this worker published it ({@link EndResend}): a run that stopped between the save and
 * its events (abandoned, killed, or its events lost in a broker outage) leaves no task WORKING for ever. Readers
 * keep a task's first terminal state, so a repeated end changes nothing there. Thread-safe: no per-run state.
 */
final class StatusReporter {
    private static final String ANSWER_DESCRIPTION = "The agent's final answer";
    private final RunLedger ledger;
    private final TaskMetrics metrics;
    private final ChangesReport changes;
    private final PublishedEnds published = new PublishedEnds();
    private final EndResend resend;

    StatusReporter(RunLedger ledger, TaskMetrics metrics, ChangesReport changes) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.changes = changes;
        this.resend = new EndResend(this, changes, published);
    }

    void status(RunContext cx, TaskState state, String text, Progress progress, Map<String, Object> details) {
        Message msg = text == null ? null
                : Message.agentText(UUID.randomUUID().toString(), cx.run.contextId(), cx.run.taskId(), text);
        publish(cx, new TaskEvent.StatusChanged(cx.run.taskId(), cx.run.contextId(), cx.workerId(),
                new TaskStatus(state, msg, null), progress, details, null));
    }

    /**
     * Whether {@link #complete} would end the run at once, with nothing between the answer and the end state's
     * awaited save (no push, no diff): then the answer's turn needs no save of its own (issue 18).
     */
    boolean endsAtOnce(RunContext cx) {
        return cx.task != null && changes.nothingToReport(cx);
    }

    /**
     * The answer as artifact (closing what streamed of it), the changed files, the workspace's change (pushed first
     * when the task asked for it), then the final status whose message (the answer) readers fold into the task's
     * history. A push that fails
     * fails the task instead, with the change still in its artifact. A task with a tool call that did not complete
     * fails instead ({@link InterruptedCalls}).
     */
    void complete(RunContext cx, String text) {
        java.util.Optional<String> interrupted = InterruptedCalls.failure(cx.task, text);
        if (interrupted.isPresent()) {
            fail(cx, interrupted.get());
            return;
        }
        cx.answer.end(false); // the final status carries the answer: text still held is not sent as a chunk
        ChangesReport.Outcome change = changes.report(cx, true, text);
        if (change.pushFailure().isPresent()) {
            failWith(cx, change.pushFailure().get() + "\n\nThe agent's answer:\n" + text, change.artifact());
            return;
        }
        cx.task.state = State.COMPLETED;
        cx.task.finalText = text;
        ledger.save(cx);
        endSaved(cx);
        String taskId = cx.task.taskId;
        String contextId = cx.session.contextId;
        if (!cx.task.changedFiles.isEmpty()) {
            publish(cx, changedFiles(cx));
        }
        change.artifact().ifPresent(a -> publish(cx, new TaskEvent.ArtifactAdded(taskId, contextId, cx.workerId(), a,
                false, true, null)));
        completed(cx, text);
        finished(cx, TaskState.COMPLETED);
    }

    /**
     * The final status of a completed run, which also finishes the answer artifact ({@link #answer}). No separate
     * history message: every reader folds the final status's message into the task's history (the gateway's
     * TaskFold), so a MessageAdded of the same answer only wrote it once more (issue 18). The message itself is sent
     * without the answer's text: it is the finished artifact's ({@link ArtifactClose#asMessage}), which the chunks
     * and the close's rest already carry, and readers put it back when they show the status.
     */
    void completed(RunContext cx, String text) {
        cx.answer.end(false);
        Message answer = new Message(UUID.randomUUID().toString(), Role.AGENT, List.of(), cx.run.contextId(),
                cx.run.taskId(), null, null, null);
        publish(cx, new TaskEvent.StatusChanged(cx.run.taskId(), cx.run.contextId(), cx.workerId(),
                new TaskStatus(TaskState.COMPLETED, answer, null), summary(cx), Map.of(), null, null,
                answer(cx, text)));
    }

    /**
     * How the final status finishes the answer artifact: with the rest after what streamed when the answer continues
     * it (often nothing: a fast model's answer went out whole in its first chunk), else the answer whole, replacing
     * whatever an earlier turn streamed. Carried by the final status, not a record of its own (issue 18: the
     * closing chunk was one more record per task, and the answer was on the log whole twice more at the end); the
     * finished text is also the status's message ({@code asMessage}).
     */
    private static ArtifactClose answer(RunContext cx, String text) {
        String taskId = cx.run.taskId();
        AnswerStream.Closing closing = cx.answer.closing(text);
        if (closing != null) {
            return new ArtifactClose(Artifact.answerId(taskId), Artifact.ANSWER, ANSWER_DESCRIPTION, closing.rest(),
                    closing.offset(), true);
        }
        return new ArtifactClose(Artifact.answerId(taskId), Artifact.ANSWER, ANSWER_DESCRIPTION, text, 0, true);
    }

    /** The files the task changed, as the {@code changed-files} artifact's data part. */
    static TaskEvent.ArtifactAdded changedFiles(RunContext cx) {
        String taskId = cx.run.taskId();
        return new TaskEvent.ArtifactAdded(taskId, cx.run.contextId(), cx.workerId(), new Artifact(
                "changed-files-" + taskId, "changed-files", "Files the agent changed in the workspace",
                List.of(new Part.Data(Map.of(MetadataKeys.FILES, cx.task.changedFilesList()), null)), null, null),
                false, true, null);
    }

    /** Failed, with the workspace's change so far as an artifact (never pushed). */
    void fail(RunContext cx, String message) {
        failWith(cx, message, changes.report(cx, false, message).artifact());
    }

    private void failWith(RunContext cx, String message, java.util.Optional<Artifact> change) {
        if (cx.task != null) {
            cx.task.state = State.FAILED;
            cx.task.error = message;
            ledger.save(cx);
            endSaved(cx);
        }
        change.ifPresent(a -> publish(cx, new TaskEvent.ArtifactAdded(cx.run.taskId(), cx.run.contextId(),
                cx.workerId(), a, false, true, null)));
        end(cx, TaskState.FAILED, message, Map.of());
    }

    /** Canceled: open calls are closed and the state saved; handed over: nothing, the next owner continues. */
    void stopped(RunContext cx) {
        Thread.interrupted(); // the interrupt did its job; the final save and event must not see it
        if (cx.run.abandoned()) {
            return;
        }
        if (cx.task != null) {
            cx.task.state = State.CANCELED;
            OpenCalls.close(cx.session, "Canceled: the task was canceled before this call finished.");
            ledger.saveQuietly(cx);
        }
        if (!cx.run.ending()) {
            return; // abandoned while saving: the next owner finds the cancel in the session
        }
        end(cx, TaskState.CANCELED, "Task canceled: " + cx.run.cancelReason(), Map.of());
    }

    /** The run waits for the user's answer to {@code callId}. */
    void awaitInput(RunContext cx, String callId, String question, Map<String, Object> details) {
        cx.task.state = State.INPUT_REQUIRED;
        cx.task.pendingQuestionCallId = callId;
        cx.task.pendingText = question;
        cx.task.pendingDetails = details;
        ledger.save(cx);
        endSaved(cx);
        end(cx, TaskState.INPUT_REQUIRED, question, details);
    }

    /**
     * The run waits for the client's decision on a call: input-required, and the status message carries the
     * sentence and the {@code approval_request} DataPart (the INTERFACES shape every client reads).
     */
    void awaitApproval(RunContext cx, String text, ApprovalRequest request) {
        cx.task.state = State.INPUT_REQUIRED;
        cx.task.pendingApprovalCallId = request.callId();
        cx.task.pendingText = text;
        cx.task.pendingApproval = request.toData();
        ledger.save(cx);
        endSaved(cx);
        askApproval(cx, text, request.toData());
    }

    /** The input-required status of an approval request: the sentence and the request's data part. */
    void askApproval(RunContext cx, String text, Map<String, Object> request) {
        Message msg = new Message(UUID.randomUUID().toString(), Role.AGENT,
                List.of(Part.Text.of(text), new Part.Data(request, null)), cx.run.contextId(),
                cx.run.taskId(), null, null, null);
        cx.answer.end(true);
        publish(cx, new TaskEvent.StatusChanged(cx.run.taskId(), cx.run.contextId(), cx.workerId(),
                new TaskStatus(TaskState.INPUT_REQUIRED, msg, null), summary(cx), Map.of(), null));
        finished(cx, TaskState.INPUT_REQUIRED);
    }

    /** A final (or interrupted) status with the task's steps, model and cumulative usage. */
    void end(RunContext cx, TaskState state, String text, Map<String, Object> details) {
        cx.answer.end(true); // what the model wrote goes out before the end, and nothing after it
        status(cx, state, text, summary(cx), details);
        finished(cx, state);
    }

    /** One of the run's events; answer text still held goes out before it ({@link AnswerStream#flush}). */
    void publish(RunContext cx, TaskEvent event) {
        if (cx.run.abandoned() && !cx.run.isEnding()) {
            throw new TaskRun.Stop();
        }
        cx.answer.flush();
        cx.events.publish(TurnUsage.carry(cx, event, cx.events::publish));
    }

    /**
     * A chunk of the answer, published by {@link AnswerStream} on whichever thread made it due (the timer's too):
     * it touches none of the run's own state, so a pending turn update waits for the run's next event ({@link
     * #turnBeforeText} sends it ahead of a turn's text).
     */
    void publishChunk(RunContext cx, TaskEvent event) {
        if (cx.run.abandoned() && !cx.run.isEnding()) {
            throw new TaskRun.Stop();
        }
        cx.events.publish(event);
    }

    /**
     * The turn update no event of its step carried (a step whose calls published nothing) goes out alone before
     * the next turn's text, as it did when the text's chunk was the step's next event ({@link TurnUsage}).
     */
    void turnBeforeText(RunContext cx) {
        Progress turn = cx.turnUpdate;
        if (turn != null) {
            cx.turnUpdate = null;
            publish(cx, TurnUsage.alone(cx, turn));
        }
    }

    Progress summary(RunContext cx) {
        if (cx.task == null) {
            return Progress.NONE;
        }
        return Progress.step(cx.task.steps).withModel(cx.task.provider, cx.task.model).withUsage(ledger.usage(cx));
    }

    /** The end state is durable: from here the run publishes it even if it is handed over. */
    private static void endSaved(RunContext cx) {
        if (!cx.run.ending()) {
            throw new TaskRun.Stop(); // handed over before the save returned: the next owner publishes the end
        }
    }

    /** A redelivered command found its task ended or waiting in the session: see {@link EndResend}. */
    void redelivered(RunContext cx) {
        resend.redelivered(cx);
    }

    private void finished(RunContext cx, TaskState state) {
        if (cx.depth == 0) {
            published.add(cx.run.taskId(), state.name());
        }
        if (cx.task != null && cx.depth == 0 && state != TaskState.INPUT_REQUIRED) {
            metrics.finished(state.name().toLowerCase(), String.valueOf(cx.task.provider), String.valueOf(cx.task.model),
                    RunLedger.tenant(cx), ledger.usage(cx));
        }
    }
}
