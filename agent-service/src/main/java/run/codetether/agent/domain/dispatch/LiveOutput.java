package run.codetether.agent.domain.dispatch;

import java.util.function.Consumer;
import run.codetether.contracts.events.Progress;

/**
 * Output of a running command, sent to the A2A client as partial working-state updates (at most one per
 * {@code partialEvery}, the last {@link #TAIL} characters), so a long build or test run is visible while it runs.
 * Used on the call's own thread only.
 */
final class LiveOutput implements Consumer<String> {
    private static final int TAIL = 4_000;
    private final CallScope scope;
    private final String tool;
    private final String callId;
    private final StringBuilder tail = new StringBuilder();
    private long lastPublish;

    LiveOutput(CallScope scope, String tool, String callId) {
        this.scope = scope;
        this.tool = tool;
        this.callId = callId;
    }

    @Override
    public void accept(String chunk) {
        tail.append(chunk);
        if (tail.length() > TAIL) {
            tail.delete(0, tail.length() - TAIL);
        }
        long now = System.nanoTime();
        if (now - lastPublish < scope.partialEvery().toNanos() || scope.stopping()) {
            return;
        }
        lastPublish = now;
        scope.progress(tail.toString(), Progress.step(scope.task().steps).withTool(tool, callId).asPartial(true));
    }

    /** Streams the output of a tool that declares {@code streams}; null (not streamed) for every other tool. */
    static Consumer<String> forTool(OfferedTool tool, CallScope scope, String callId) {
        return tool != null && tool.spec().streams() ? new LiveOutput(scope, tool.name(), callId) : null;
    }
}
