package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import run.codetether.agent.domain.port.ToolExecutor;

/**
 * One tools-service call in a task's workspace, under the task's wire call id (so a repeated call is answered from
 * tools-service's idempotency store, never applied twice). A failure of tools-service itself (not of the tool)
 * becomes a failed outcome the model reads, and the loop goes on. Files a successful call changed are recorded on
 * the task: the {@code path} argument of a call that is not read-only, and the files its metadata names. A call that
 * did not complete (tools-service died while it ran: {@link ToolExecutor.Outcome#interrupted()}) is recorded on the
 * task too, so the task cannot end COMPLETED on its account.
 */
public final class WorkspaceCall {
    private final ToolExecutor tools;

    public WorkspaceCall(ToolExecutor tools) {
        this.tools = tools;
    }

    /**
     * @param arguments the parsed arguments (read for the changed path)
     * @param live receives the process output while the call runs; null: not streamed
     */
    public ToolExecutor.Outcome run(CallScope scope, String callId, String name, String argumentsJson,
            JsonNode arguments, boolean readOnly, Consumer<String> live) throws InterruptedException {
        java.util.Optional<String> unusable = scope.useWorkspace(true);
        if (unusable.isPresent()) {
            return new ToolExecutor.Outcome(false, "", unusable.get(), false, "");
        }
        String wireId = scope.wireCallId(callId);
        ToolExecutor.Outcome out;
        try {
            out = Blocking.call(() -> live != null
                    ? tools.execute(scope.workspaceId(), wireId, name, argumentsJson, scope.toolTimeout(), live)
                    : tools.execute(scope.workspaceId(), wireId, name, argumentsJson, scope.toolTimeout()),
                    RuntimeException.class);
        } catch (RuntimeException e) {
            scope.checkStop();
            out = new ToolExecutor.Outcome(false, "", "tools-service call failed: " + e.getMessage(), false, "");
        }
        recordInterruption(scope, callId, name + " " + arguments, out.interrupted(), out.ok());
        if (out.ok()) {
            String path = readOnly ? "" : arguments.path("path").asText("");
            if (!path.isBlank()) {
                scope.task().changedFiles.add(path);
            }
            ChangedFiles.from(out.metadataJson()).forEach(scope.task().changedFiles::add);
        }
        return out;
    }

    /**
     * Keeps the task's list of calls that did not complete (so it cannot end COMPLETED on their account): an
     * interrupted call is added; a call of the same shape (tool and arguments) that completes takes it off (the model
     * ran the cut-off call again and this time it completed). Shared by tools-service, worker and MCP calls.
     */
    public static void recordInterruption(CallScope scope, String callId, String shape, boolean interrupted,
            boolean ok) {
        if (interrupted) {
            scope.task().interruptedCalls.put(callId, shape);
        } else if (ok) {
            scope.task().interruptedCalls.values().removeIf(shape::equals);
        }
    }

    /**
     * The diff an edit call would make, from the workspace as it is now; empty when the tool has none or
     * tools-service could not be asked (the approval request then shows the arguments only). An edit that would fail
     * answers its reason, so the client sees why before it decides.
     */
    public java.util.Optional<String> preview(CallScope scope, String name, String argumentsJson)
            throws InterruptedException {
        if (scope.useWorkspace(false).isPresent()) {
            return java.util.Optional.empty(); // the call itself answers why the workspace is not there
        }
        ToolExecutor.Preview p;
        try {
            p = Blocking.call(() -> tools.preview(scope.workspaceId(), name, argumentsJson), RuntimeException.class);
        } catch (RuntimeException e) {
            scope.checkStop();
            return java.util.Optional.empty();
        }
        if (!p.available()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(p.error().isBlank() ? p.diff() : "(no preview: " + p.error() + ")");
    }

    /** Where a tool's output goes while it runs: to the client for a tool that declares {@code streams}, else null. */
    public static Consumer<String> liveOutput(OfferedTool tool, CallScope scope, String callId) {
        return LiveOutput.forTool(tool, scope, callId);
    }
}
