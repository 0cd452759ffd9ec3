package run.codetether.agent.domain.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;

/**
 * Checks a call before it runs: the tool exists, the arguments are a JSON object, required properties are there
 * and top-level property types match the schema. A failure is the text the {@code invalid} tool answers, in
 * words the model can act on (the original's invalid tool also suggested similar names).
 */
final class ToolCallValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCallValidator() {}

    static Optional<String> problem(ToolCall call, Map<String, ToolSpec> tools) {
        ToolSpec spec = tools.get(call.name());
        if (spec == null) {
            return Optional.of("Tool '" + call.name() + "' not found.\n\n" + suggestions(call.name(), tools));
        }
        JsonNode args;
        try {
            args = JSON.readTree(call.argumentsJson());
        } catch (Exception e) {
            return Optional.of("Arguments of tool '" + call.name() + "' are not valid JSON: " + firstLine(e.getMessage())
                    + ". Send a JSON object matching the tool's schema.");
        }
        if (args == null || !args.isObject()) {
            return Optional.of("Arguments of tool '" + call.name() + "' must be a JSON object.");
        }
        JsonNode schema;
        try {
            schema = spec.parametersJsonSchema() == null ? JSON.createObjectNode() : JSON.readTree(spec.parametersJsonSchema());
        } catch (Exception e) {
            return Optional.empty(); // a schema we cannot read is the tool's problem, not the model's
        }
        for (JsonNode req : schema.path("required")) {
            if (!args.has(req.asText()) || args.get(req.asText()).isNull()) {
                return Optional.of("Tool '" + call.name() + "' needs the argument '" + req.asText() + "'. Schema: "
                        + spec.parametersJsonSchema());
            }
        }
        var props = schema.path("properties").fields();
        while (props.hasNext()) {
            var p = props.next();
            JsonNode value = args.get(p.getKey());
            String type = p.getValue().path("type").asText("");
            if (value != null && !value.isNull() && !type.isEmpty() && !matches(value, type)) {
                return Optional.of("Argument '" + p.getKey() + "' of tool '" + call.name() + "' must be of type " + type
                        + ", got " + value.getNodeType().name().toLowerCase() + ".");
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

    private static String suggestions(String name, Map<String, ToolSpec> tools) {
        var similar = tools.keySet().stream()
                .filter(t -> !name.isEmpty() && (t.contains(name) || name.contains(t) || levenshtein(t, name) <= 3))
                .sorted().limit(3).toList();
        String all = String.join(", ", tools.keySet().stream().sorted().toList());
        return similar.isEmpty() ? "Available tools: " + all
                : "Did you mean: " + String.join(", ", similar) + "?\n\nAll available tools: " + all;
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
