package run.codetether.tools.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.tool.Tool;
import run.codetether.tools.domain.tool.Previewable;
import run.codetether.tools.domain.tool.ToolCall;
import run.codetether.tools.domain.tool.ToolDispatcher;
import run.codetether.tools.domain.tool.ToolRegistry;

/**
 * Runs one call: parses arguments, finds the tool, runs it in the session, turns refusals into failed results,
 * and stores the result under (session, call id) so a repeat is answered from the store and never runs twice.
 */
public final class ToolExecutor implements ToolDispatcher {

    /** The result, whether it was replayed, and how long this call took. */
    public record Response(ToolResult result, boolean replayed, long durationMs) {}

    private static final ObjectMapper JSON = Json.mapper();

    private final ToolRegistry registry;
    private final SessionRegistry sessions;
    private final ResultStore store;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;

    public ToolExecutor(ToolRegistry registry, SessionRegistry sessions, ResultStore store, Duration defaultTimeout,
            Duration maxTimeout) {
        this.registry = registry;
        this.sessions = sessions;
        this.store = store;
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
    }

    public ResultStore store() {
        return store;
    }

    public ToolRegistry registry() {
        return registry;
    }

    /** Throws {@link ToolException} INVALID_ARGUMENT only for a bad envelope (ids); tool problems are results. */
    public Response execute(String sessionId, String callId, String toolName, String argumentsJson, long timeoutMs,
            OutputSink sink) {
        SessionRegistry.checkId(sessionId);
        if (callId == null || callId.isBlank() || callId.length() > 256) {
            throw ToolException.invalid("call_id is required (1-256 characters)");
        }
        if (toolName == null || toolName.isBlank()) {
            throw ToolException.invalid("tool_name is required");
        }
        Session session = sessions.get(sessionId);
        Duration timeout = timeoutMs <= 0 ? maxTimeout : Duration.ofMillis(Math.min(timeoutMs, maxTimeout.toMillis()));
        long start = System.nanoTime();
        ResultStore.Outcome o = store.computeOnce(sessionId, callId, !registry.find(toolName).map(Tool::readOnly)
                .orElse(true), () -> interruptedIfCut(run(session, toolName, argumentsJson, timeout, sink), sink));
        return new Response(o.result(), o.replayed(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * A call its own process cut off ({@link OutputSink#interruption()}) is INTERRUPTED, whatever the tool made of
     * being stopped (a killed command exits 137): the output it gave so far is kept for the model to read.
     */
    private static ToolResult interruptedIfCut(ToolResult r, OutputSink sink) {
        String why = sink.interruption();
        if (why == null) {
            return r;
        }
        return new ToolResult(false, r.output(), ToolException.Code.INTERRUPTED + ": " + why + "; the call did not"
                + " complete and was not run again (it may have done part of its work: check before repeating it)",
                r.exitCode(), r.truncated(), r.withMetadata("code", ToolException.Code.INTERRUPTED.name()).metadata());
    }

    /** What an edit call would change: a diff, no preview for this tool, or why the edit would fail. */
    public record Preview(boolean available, String diff, String error) {
        public static final Preview NONE = new Preview(false, "", "");
    }

    /**
     * The unified diff an edit call would make, computed from the workspace as it is now; changes nothing and stores
     * nothing (a later Execute of the same call computes its change again).
     */
    public Preview preview(String sessionId, String toolName, String argumentsJson) {
        SessionRegistry.checkId(sessionId);
        Optional<Tool> tool = registry.find(toolName == null ? "" : toolName);
        if (tool.isEmpty() || !(tool.get() instanceof Previewable p)) {
            return Preview.NONE;
        }
        JsonNode args;
        try {
            args = argumentsJson == null || argumentsJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return new Preview(true, "", toolName + ": arguments are not valid JSON: " + e.getOriginalMessage());
        }
        if (!args.isObject()) {
            return new Preview(true, "", toolName + ": arguments must be a JSON object");
        }
        try {
            return new Preview(true, p.preview(new ToolCall(sessions.get(sessionId), new Args(tool.get().name(), args),
                    OutputSink.DISCARD, defaultTimeout)), "");
        } catch (ToolException e) {
            return new Preview(true, "", e.getMessage());
        }
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    @Override
    public ToolResult dispatch(ToolCall parent, String tool, JsonNode args) {
        return run(parent.session(), tool, args, parent.timeout(), parent.sink());
    }

    @Override
    public boolean mutates(String tool) {
        return registry.find(tool).map(Tool::mutates).orElse(false);
    }

    private ToolResult run(Session session, String toolName, String argumentsJson, Duration timeout, OutputSink sink) {
        JsonNode args;
        try {
            args = argumentsJson == null || argumentsJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            return ToolResult.failure(ToolException.invalid(toolName + ": arguments are not valid JSON: "
                    + e.getOriginalMessage()));
        }
        return run(session, toolName, args, timeout, sink);
    }

    private ToolResult run(Session session, String toolName, JsonNode args, Duration timeout, OutputSink sink) {
        Optional<Tool> tool = registry.find(toolName);
        if (tool.isEmpty()) {
            return ToolResult.failure(new ToolException(ToolException.Code.UNKNOWN_TOOL, "unknown tool '" + toolName
                    + "'; available: " + String.join(", ", registry.all().stream().map(Tool::name).toList())));
        }
        if (args == null || !args.isObject()) {
            return ToolResult.failure(ToolException.invalid(toolName + ": arguments must be a JSON object"));
        }
        try {
            return tool.get().execute(new ToolCall(session, new Args(tool.get().name(), args), sink, timeout));
        } catch (ToolException e) {
            return ToolResult.failure(e);
        }
    }
}
