package run.codetether.agent.domain.loop;

import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.approval.AccessMode;
import run.codetether.contracts.approval.ApprovalAnswer;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.workspace.CodebaseRef;

/** A task's access mode from its start, and the client's answer to an approval request into the task's state. */
final class Approvals {
    private Approvals() {}

    /**
     * {@code metadata.access_mode}; absent: {@code approve} for a task on a worker's codebase, {@code full} otherwise
     * (a sandboxed server-side workspace, as before access modes existed).
     *
     * @throws IllegalArgumentException for a value that is not an access mode (the task fails and says so)
     */
    static AccessMode accessMode(TaskCommand.StartTask start) {
        Object asked = start.metadata().get(MetadataKeys.ACCESS_MODE);
        if (asked != null) {
            return AccessMode.parse(asked);
        }
        return CodebaseRef.of(start.metadata()).isPresent() ? AccessMode.APPROVE : AccessMode.FULL;
    }

    /**
     * Whether {@code message} is the answer the task already took in: its command was redelivered (a worker killed
     * after the answer's run left the next question open, before the command's commit). Taken again, a plain
     * "approve" would decide the NEXT call, which the user never saw; the open question is sent again instead.
     */
    static boolean alreadyTaken(TaskProgress task, Message message) {
        String id = message.messageId();
        return id != null && !id.isBlank() && id.equals(task.answeredMessageId);
    }

    /** The task takes {@code message} as its answer (saved with the decision or the answer it carries). */
    static void taken(TaskProgress task, Message message) {
        task.answeredMessageId = message.messageId();
    }

    /**
     * Records the decision a follow-up message carries for the pending call. An answer about another call id, or a
     * message with no answer at all, decides nothing: the run asks again. Anything but approve / approve all denies
     * (the safe side); the client's words reach the model with the refusal.
     */
    static void decide(TaskProgress task, Message message) {
        String pending = task.pendingApprovalCallId;
        task.pendingApprovalCallId = null;
        ApprovalAnswer answer = ApprovalAnswer.of(message).orElse(null);
        if (answer == null || (answer.callId() != null && !answer.callId().equals(pending))) {
            return;
        }
        switch (answer.decision()) {
            case APPROVE -> task.approvals.put(pending, ApprovalAnswer.Decision.APPROVE.wire());
            case APPROVE_ALL -> {
                task.approvals.put(pending, ApprovalAnswer.Decision.APPROVE.wire());
                task.approveAll = true;
            }
            case DENY -> {
                task.approvals.put(pending, ApprovalAnswer.Decision.DENY.wire());
                if (answer.note() != null) {
                    task.approvalNotes.put(pending, answer.note());
                }
            }
        }
    }
}
