package run.codetether.swarm.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.platform.json.Json;

/**
 * Reads the decomposer's JSON answer and checks it against {@link #SCHEMA}: an object with a non-empty
 * {@code subtasks} array of {@code {id, title, instruction, depends_on[]}}, at most {@code maxSubtasks} entries,
 * forming a DAG. Anything else is a {@link PlanException} naming what is wrong.
 */
public final class PlanParser {
    /** JSON schema sent to the model as {@code response_format}. */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["subtasks"],
             "properties":{"subtasks":{"type":"array","minItems":1,"items":{"type":"object",
               "additionalProperties":false,"required":["id","title","instruction","depends_on"],
               "properties":{"id":{"type":"string","minLength":1},"title":{"type":"string"},
                 "instruction":{"type":"string","minLength":1},
                 "depends_on":{"type":"array","items":{"type":"string"}}}}}}}""";

    private PlanParser() {}

    public static List<SubtaskPlan> parse(String answer, int maxSubtasks) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(stripFences(answer));
        } catch (Exception e) {
            throw new PlanException("decomposition is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new PlanException("decomposition must be a JSON object with a 'subtasks' array");
        }
        JsonNode items = root.get("subtasks");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new PlanException("decomposition needs a non-empty 'subtasks' array");
        }
        if (items.size() > maxSubtasks) {
            throw new PlanException("decomposition has " + items.size() + " subtasks, the limit is " + maxSubtasks);
        }
        List<SubtaskPlan> plan = new ArrayList<>();
        int index = 0;
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw new PlanException("subtasks[" + index + "] must be an object");
            }
            List<String> deps = new ArrayList<>();
            JsonNode depNode = item.get("depends_on");
            if (depNode != null && !depNode.isNull()) {
                if (!depNode.isArray()) {
                    throw new PlanException("subtasks[" + index + "].depends_on must be an array of ids");
                }
                depNode.forEach(d -> {
                    if (!d.isTextual()) {
                        throw new PlanException("depends_on entries must be strings");
                    }
                    deps.add(d.asText());
                });
            }
            plan.add(new SubtaskPlan(text(item, "id", index), text(item, "title", index),
                    text(item, "instruction", index), deps));
            index++;
        }
        Dag.stages(plan);
        return plan;
    }

    private static String text(JsonNode item, String field, int index) {
        JsonNode value = item.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw new PlanException("subtasks[" + index + "]." + field + " must be a string");
        }
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Models sometimes wrap JSON in a code fence even when asked not to. */
    static String stripFences(String answer) {
        String s = answer == null ? "" : answer.strip();
        if (s.startsWith("```")) {
            int first = s.indexOf('\n');
            int last = s.lastIndexOf("```");
            if (first > 0 && last > first) {
                s = s.substring(first + 1, last).strip();
            }
        }
        return s;
    }

    static Map<String, Object> schemaMap() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.mapper().readValue(SCHEMA, Map.class);
            return m;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
