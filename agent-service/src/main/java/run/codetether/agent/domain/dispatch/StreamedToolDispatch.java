package run.codetether.agent.domain.dispatch;

import java.util.function.Consumer;

/**
 * A tools-service tool that declares {@code streams} (bash): {@code ExecuteStream}, and while the command runs its
 * output reaches the client as partial working updates ({@link LiveOutput}). Otherwise as {@link RemoteToolDispatch}.
 */
public final class StreamedToolDispatch extends RemoteToolDispatch {

    public StreamedToolDispatch(WorkspaceCall workspace) {
        super(workspace);
    }

    @Override
    Consumer<String> liveOutput(ToolInvocation call, CallScope scope) {
        return new LiveOutput(scope, call.name(), call.id());
    }
}
