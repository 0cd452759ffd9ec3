package run.codetether.tools.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outcome of one tool call. {@code ok=false} carries an error the model can act on; {@code exitCode} is set only
 * by process-backed tools; metadata is tool-specific structured data (serialised to JSON at the edge).
 */
public record ToolResult(boolean ok, String output, String error, Integer exitCode, boolean truncated,
        Map<String, Object> metadata) {

    public ToolResult {
        output = output == null ? "" : output;
        error = error == null ? "" : error;
        metadata = Map.copyOf(new LinkedHashMap<>(metadata == null ? Map.of() : metadata));
    }

    public static ToolResult success(String output) {
        return new ToolResult(true, output, "", null, false, Map.of());
    }

    public static ToolResult success(String output, Map<String, Object> metadata) {
        return new ToolResult(true, output, "", null, false, metadata);
    }

    public static ToolResult failure(ToolException e) {
        return new ToolResult(false, "", e.code() + ": " + e.getMessage(), null, false, Map.of("code", e.code().name()));
    }

    /**
     * The call was cut off by a restart of the process that ran it and was not run again
     * ({@link StartMarkingResultStore}): not a result of the tool, and whether it did part of its work is unknown.
     */
    public boolean interrupted() {
        return !ok && ToolException.Code.INTERRUPTED.name().equals(metadata.get("code"));
    }

    public static ToolResult failure(String error, Map<String, Object> metadata) {
        return new ToolResult(false, "", error, null, false, metadata);
    }

    public ToolResult withMetadata(String key, Object value) {
        var m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new ToolResult(ok, output, error, exitCode, truncated, m);
    }
}
