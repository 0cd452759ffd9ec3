package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a tool's JSON Schema the loop checks before a call runs: required properties and top-level property
 * types. Read once when the tool is offered, not on every call. A schema that cannot be read checks nothing (it is
 * the tool's problem, not the model's).
 */
public record ToolSchema(List<String> required, Map<String, String> types) {
    static final ToolSchema UNCHECKED = new ToolSchema(List.of(), Map.of());

    public ToolSchema {
        required = List.copyOf(required);
        types = Map.copyOf(types);
    }

    static ToolSchema parse(String schemaJson) {
        if (schemaJson == null || schemaJson.isBlank()) {
            return UNCHECKED;
        }
        JsonNode schema;
        try {
            schema = ToolInvocation.JSON.readTree(schemaJson);
        } catch (Exception e) {
            return UNCHECKED;
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        Map<String, String> types = new LinkedHashMap<>();
        schema.path("properties").properties().forEach(p -> {
            String type = p.getValue().path("type").asText("");
            if (!type.isEmpty()) {
                types.put(p.getKey(), type);
            }
        });
        return new ToolSchema(required, types);
    }

    /** What is wrong with these arguments, in words the model can act on; empty when they fit. */
    Optional<String> problem(String tool, ObjectNode args, String schemaText) {
        for (String req : required) {
            if (!args.has(req) || args.get(req).isNull()) {
                return Optional.of("Tool '" + tool + "' needs the argument '" + req + "'. Schema: " + schemaText);
            }
        }
        for (Map.Entry<String, String> t : types.entrySet()) {
            JsonNode value = args.get(t.getKey());
            if (value != null && !value.isNull() && !matches(value, t.getValue())) {
                return Optional.of("Argument '" + t.getKey() + "' of tool '" + tool + "' must be of type "
                        + t.getValue() + ", got " + value.getNodeType().name().toLowerCase() + ".");
            }
        }
        return Optional.empty();
    }

    private static boolean matches(JsonNode v, String type) {
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() || (v.isTextual() && v.asText().matches("-?\\d+"));
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "array" -> v.isArray();
            case "object" -> v.isObject();
            default -> true;
        };
    }
}
