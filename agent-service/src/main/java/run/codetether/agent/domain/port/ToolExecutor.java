package run.codetether.agent.domain.port;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import run.codetether.agent.domain.model.ToolSpec;

/** The sandboxed tools (tools-service). Execute is idempotent by (sessionId, callId). */
public interface ToolExecutor {

    record Outcome(boolean ok, String output, String error, boolean replayed, String metadataJson) {}

    List<ToolSpec> list();

    /** Runs one call; a failure of the tool itself is an Outcome with ok=false, a transport failure throws. */
    Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout)
            throws InterruptedException;

    /**
     * As {@link #execute}, and the process output (stdout and stderr of bash) goes to {@code output} while it is
     * produced. The outcome is the same as without streaming.
     */
    default Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout,
            Consumer<String> output) throws InterruptedException {
        return execute(sessionId, callId, toolName, argumentsJson, timeout);
    }
}
