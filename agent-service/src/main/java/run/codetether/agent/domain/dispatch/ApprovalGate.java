package run.codetether.agent.domain.dispatch;

import java.util.Map;
import java.util.Set;
import run.codetether.contracts.approval.AccessMode;
import run.codetether.contracts.approval.ApprovalRequest;

/**
 * The access modes: {@code full} runs every call; {@code approve} runs read-only calls at once and asks before a
 * call that changes the workspace, runs a command, starts agents that act ({@code task}, {@code ralph},
 * {@code swarm}) or reaches the network; {@code ask} also asks before the agent's own state changes (todos, plan),
 * i.e. before every mutating call. The client's decision per call id is in the session (a restarted run does not
 * ask twice, and an approved call runs under its call id, so once); {@code approve_all} approves the rest of the
 * task. A sub-agent's calls run: they were approved with the call that started the sub-agent.
 */
public final class ApprovalGate implements CallGate {
    /** The client's decisions, as stored per call id. */
    private enum Answer {
        APPROVE, DENY;

        String wire() {
            return run.codetether.contracts.approval.ApprovalAnswer.Decision.valueOf(name()).wire();
        }
    }

    /** The agent's own state writers: asked in {@code ask} mode only. */
    private static final Set<String> SESSION_WRITERS = Set.of("todo_write", "plan_enter", "plan_exit");

    @Override
    public Decision check(ToolInvocation call, CallScope scope) throws InterruptedException {
        var task = scope.task();
        AccessMode mode = task.accessMode == null ? AccessMode.FULL : AccessMode.parse(task.accessMode);
        if (scope.depth() > 0 || task.approveAll || !asks(mode, call.tool())) {
            return Decision.Proceed.INSTANCE;
        }
        String decided = task.approvals.get(call.id());
        if (Answer.APPROVE.wire().equals(decided)) {
            return Decision.Proceed.INSTANCE;
        }
        if (Answer.DENY.wire().equals(decided)) {
            return new Decision.Refuse(refusal(call.name(), task.approvalNotes.get(call.id())));
        }
        String preview = call.tool().dispatch().preview(call, scope).orElse(null);
        Map<String, Object> args = ToolInvocation.JSON.convertValue(call.arguments(),
                ToolInvocation.JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        String reason = reason(mode, call.tool());
        return new Decision.Ask("Approve " + call.name() + "? " + reason + " Answer approve, deny or approve all.",
                new ApprovalRequest(call.id(), call.name(), args, preview, reason));
    }

    /** Whether {@code mode} asks before a call of {@code tool}. */
    static boolean asks(AccessMode mode, OfferedTool tool) {
        return switch (mode) {
            case FULL -> false;
            case APPROVE -> tool.spec().network() || !tool.readOnly();
            case ASK -> tool.spec().network() || !tool.readOnly() || SESSION_WRITERS.contains(tool.name());
        };
    }

    private static String reason(AccessMode mode, OfferedTool tool) {
        String what = tool.spec().network() ? "reaches the network" : tool.readOnly() ? "changes the agent's plan or todos"
                : tool.spec().streams() ? "runs a command" : "can change the workspace";
        return "The task runs in access mode " + mode.wire() + " and this call " + what + ".";
    }

    static String refusal(String tool, String note) {
        return "The user denied this " + tool + " call; it did not run."
                + (note == null || note.isBlank() ? " Do not repeat it; ask the user or choose another way."
                        : " The user said: " + note);
    }
}
