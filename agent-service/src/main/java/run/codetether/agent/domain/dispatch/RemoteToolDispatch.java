package run.codetether.agent.domain.dispatch;

import java.util.function.Consumer;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.contracts.events.Progress;

/**
 * A tools-service tool: {@code Execute} in the task's workspace. The client sees that the call started; a successful
 * output passes the loop tools' filters (rlm routing) before the model reads it. The result is replayable: a lost
 * save is repaired by running the same call id again, which tools-service answers from its idempotency store.
 */
public class RemoteToolDispatch implements ToolDispatch {
    private final WorkspaceCall workspace;

    public RemoteToolDispatch(WorkspaceCall workspace) {
        this.workspace = workspace;
    }

    @Override
    public final Dispatched dispatch(ToolInvocation call, CallScope scope) throws InterruptedException {
        scope.progress(null, Progress.step(scope.task().steps).withTool(call.name(), call.id()),
                ShownArguments.of(call));
        ToolExecutor.Outcome out = workspace.run(scope, call.id(), call.name(), call.call().argumentsJson(),
                call.arguments(), call.tool().readOnly(), liveOutput(call, scope));
        String content = out.interrupted() ? interrupted(out.error())
                : out.ok() ? scope.filterOutput(call.name(), call.arguments(), out.output())
                : "Error: " + out.error() + (out.output() == null || out.output().isBlank() ? "" : "\n" + out.output());
        return new Dispatched.Answered(content, !out.ok(), true);
    }

    /** What the model reads for a call that did not complete: never an ordinary result. */
    public static String interrupted(String why) {
        return why.startsWith(INTERRUPTED) ? why : INTERRUPTED + why;
    }

    static final String INTERRUPTED = "INTERRUPTED: ";

    @Override
    public final java.util.Optional<String> preview(ToolInvocation call, CallScope scope) throws InterruptedException {
        return workspace.preview(scope, call.name(), call.call().argumentsJson());
    }

    /** Where output goes while the call runs; null: nowhere (the result carries it). */
    Consumer<String> liveOutput(ToolInvocation call, CallScope scope) {
        return null;
    }
}
