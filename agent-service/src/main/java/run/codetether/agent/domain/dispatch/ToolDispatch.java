package run.codetether.agent.domain.dispatch;

/**
 * How one kind of tool call is carried out: tools-service ({@link RemoteToolDispatch}, {@link StreamedToolDispatch}),
 * the agent's own tools ({@link AgentToolDispatch}, {@link QuestionDispatch}), and in the loop package the loop
 * tools and the {@code task} sub-agent. A new kind (MCP tools, a worker's tools) is a new implementation offered by a
 * new {@link ToolSource}; the loop itself does not change.
 *
 * <p>Runs on the task's thread. Cancellation surfaces as {@link InterruptedException} or the loop's stop signal from
 * {@link CallScope#checkStop()}: let both propagate.
 */
@FunctionalInterface
public interface ToolDispatch {

    Dispatched dispatch(ToolInvocation call, CallScope scope) throws InterruptedException;

    /**
     * What the call would change, as a unified diff, without running it: the preview of an approval request. Empty
     * for a kind without previews; an edit that would fail answers its reason as text.
     */
    default java.util.Optional<String> preview(ToolInvocation call, CallScope scope) throws InterruptedException {
        return java.util.Optional.empty();
    }
}
