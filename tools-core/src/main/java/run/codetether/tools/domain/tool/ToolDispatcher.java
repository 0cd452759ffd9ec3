package run.codetether.tools.domain.tool;

import com.fasterxml.jackson.databind.JsonNode;
import run.codetether.tools.domain.ToolResult;

/** Runs a nested tool call in the same session (batch uses it); never throws for tool-level failures. */
public interface ToolDispatcher {

    ToolResult dispatch(ToolCall parent, String tool, JsonNode args);

    /** Whether the named tool changes files (such calls run in order, the others in parallel). */
    boolean mutates(String tool);
}
