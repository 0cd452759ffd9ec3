package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.platform.json.Json;

/**
 * A checked call, ready to run: the model's call, its arguments parsed once (a JSON object that fits the tool's
 * schema), and the offered tool it goes to. Every later step reads {@link #arguments()}, never the JSON text again.
 */
public record ToolInvocation(ToolCall call, ObjectNode arguments, OfferedTool tool) {
    static final ObjectMapper JSON = Json.mapper();

    public String id() {
        return call.id();
    }

    public String name() {
        return call.name();
    }

    /** A text argument, or "" when it is absent. */
    public String text(String field) {
        return arguments.path(field).asText("");
    }
}
