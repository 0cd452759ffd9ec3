package run.codetether.agent.domain.loop;

import java.util.Map;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.session.TaskProgress.State;
import run.codetether.contracts.a2a.TaskState;

/**
 * A redelivered command found its task ended or waiting for input in the session. The end's events went out when
 * this worker published them; otherwise the run that saved it may have stopped before (handed over as the broker
 * came back, killed, or its events lost in an outage), and the end is published again from what the session holds,
 * as the first one was: a finished end with the answer whole, the changed files and the workspace's {@code changes}
 * artifact made again ({@link ChangesReport#again}: nothing pushed, no model call), then the final status; a
 * question or approval request with its text and data, so the user can still answer it (issue 19: it was lost with
 * the run, the task stayed WORKING). Readers keep a task's first terminal state, so a repeated end changes nothing
 * there; a repeated question is the same question.
 */
final class EndResend {
    private static final Logger LOG = Logger.getLogger(EndResend.class);
    private final StatusReporter reporter;
    private final ChangesReport changes;
    private final PublishedEnds published;

    EndResend(StatusReporter reporter, ChangesReport changes, PublishedEnds published) {
        this.reporter = reporter;
        this.changes = changes;
        this.published = published;
    }

    void redelivered(RunContext cx) {
        State state = cx.task.state;
        if (state == State.WORKING || published.were(cx.run.taskId(), state.name())) {
            return;
        }
        LOG.infof("task %s is %s in its session but this worker did not publish that: publishing it again",
                cx.run.taskId(), state);
        cx.continueWhereStarted(); // the workspace the task ran in, for its diff
        switch (state) {
            case INPUT_REQUIRED -> ask(cx);
            case COMPLETED -> {
                String text = cx.task.finalText == null ? "" : cx.task.finalText;
                if (!cx.task.changedFiles.isEmpty()) {
                    reporter.publish(cx, StatusReporter.changedFiles(cx));
                }
                change(cx);
                reporter.completed(cx, text); // the final status finishes the answer artifact, as the first end did
            }
            case FAILED -> {
                change(cx);
                reporter.status(cx, TaskState.FAILED, cx.task.error == null ? "failed" : cx.task.error,
                        reporter.summary(cx), Map.of());
            }
            default -> reporter.status(cx, TaskState.CANCELED, "Task canceled", reporter.summary(cx), Map.of());
        }
        published.add(cx.run.taskId(), state.name());
    }

    private void change(RunContext cx) {
        changes.again(cx).ifPresent(a -> reporter.publish(cx, new run.codetether.contracts.events.TaskEvent
                .ArtifactAdded(cx.run.taskId(), cx.run.contextId(), cx.workerId(), a, false, true, null)));
    }

    /** The open question or approval request again, as it was first sent (records it as published here). */
    private void ask(RunContext cx) {
        String text = cx.task.pendingText;
        if (cx.task.pendingApprovalCallId != null && cx.task.pendingApproval != null) {
            reporter.askApproval(cx, text == null ? "Approve call " + cx.task.pendingApprovalCallId + "?" : text,
                    cx.task.pendingApproval);
            return;
        }
        if (text == null) {
            // saved by an agent that did not keep the prompt: the user still learns that the task waits for them
            text = cx.task.pendingApprovalCallId != null
                    ? "The task waits for your decision on call " + cx.task.pendingApprovalCallId
                            + " (the request could not be shown again): answer approve or deny."
                    : "The task waits for your answer to the agent's question (it could not be shown again).";
        }
        reporter.end(cx, TaskState.INPUT_REQUIRED, text,
                cx.task.pendingDetails == null ? Map.of() : cx.task.pendingDetails);
    }
}
