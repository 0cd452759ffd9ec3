package run.codetether.agent.domain.port;

import java.time.Duration;
import java.util.List;
import run.codetether.agent.domain.model.ToolSpec;

/** The sandboxed tools (tools-service). Execute is idempotent by (sessionId, callId). */
public interface ToolExecutor {

    record Outcome(boolean ok, String output, String error, boolean replayed, String metadataJson) {}

    List<ToolSpec> list();

    /** Runs one call; a failure of the tool itself is an Outcome with ok=false, a transport failure throws. */
    Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout)
            throws InterruptedException;
}
