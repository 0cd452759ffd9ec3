package run.codetether.router.domain.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import run.codetether.platform.json.Json;
import run.codetether.router.domain.schema.JsonSchema.EnumSchema;

/** How values and keys are written in each dialect (the inverse of {@link CallParser}). */
public final class Encoding {

    private Encoding() {}

    /** The text of a value: compact JSON, or FunctionGemma's form (strings between escape symbols, bare keys). */
    public static String value(JsonNode value, Dialect d) {
        if (d == Dialect.JSON_TOOL_CALL) {
            return Json.write(value);
        }
        if (value.isTextual()) {
            return Symbols.ESCAPE + value.asText() + Symbols.ESCAPE;
        }
        if (value.isObject()) {
            StringBuilder out = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(e.getKey()).append(':').append(value(e.getValue(), d));
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            return out.append('}').toString();
        }
        if (value.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++) {
                out.append(i > 0 ? "," : "").append(value(value.get(i), d));
            }
            return out.append(']').toString();
        }
        return Json.write(value);
    }

    /** A key as written between the object's delimiters (JSON: escaped string content without quotes). */
    static String key(String key, Dialect d) {
        if (d == Dialect.FUNCTION_GEMMA) {
            return key;
        }
        boolean plain = key.chars().allMatch(ch -> ch >= 0x20 && ch != '"' && ch != '\\' && ch < 0x7f);
        if (plain) {
            return key;
        }
        String quoted = Json.write(TextNode.valueOf(key));
        return quoted.substring(1, quoted.length() - 1);
    }

    static List<String> literals(EnumSchema e, Dialect d) {
        List<String> out = new ArrayList<>(e.values().size());
        for (JsonNode v : e.values()) {
            out.add(value(v, d));
        }
        return out;
    }
}
