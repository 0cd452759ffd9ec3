package run.codetether.router.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import run.codetether.router.domain.schema.JsonSchema.AnySchema;
import run.codetether.router.domain.schema.JsonSchema.ArraySchema;
import run.codetether.router.domain.schema.JsonSchema.BooleanSchema;
import run.codetether.router.domain.schema.JsonSchema.EnumSchema;
import run.codetether.router.domain.schema.JsonSchema.NullSchema;
import run.codetether.router.domain.schema.JsonSchema.NumberSchema;
import run.codetether.router.domain.schema.JsonSchema.ObjectSchema;
import run.codetether.router.domain.schema.JsonSchema.StringSchema;
import run.codetether.router.domain.schema.JsonSchema.UnionSchema;

/** Reads a JSON Schema document into {@link JsonSchema}; throws {@link IllegalArgumentException} on malformed ones. */
public final class SchemaParser {

    private static final int MAX_DEPTH = 32;

    private SchemaParser() {}

    /** The schema of a tool's arguments: always an object (an absent or empty schema means "no arguments"). */
    public static ObjectSchema parseArguments(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
            return new ObjectSchema(Map.of(), Set.of(), false, new AnySchema());
        }
        JsonSchema schema = parse(node);
        if (schema instanceof ObjectSchema object) {
            return object;
        }
        throw new IllegalArgumentException("a tool's parameters schema must describe an object, got " + node);
    }

    public static JsonSchema parse(JsonNode node) {
        return parse(node, 0, "$");
    }

    private static JsonSchema parse(JsonNode node, int depth, String path) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("schema nested deeper than " + MAX_DEPTH + " at " + path);
        }
        if (node.isBoolean()) {
            return new AnySchema(); // `true` schema; `false` is not useful for a tool argument
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("schema at " + path + " must be an object, got " + node.getNodeType());
        }
        if (node.has("const")) {
            return new EnumSchema(List.of(node.get("const")));
        }
        if (node.has("enum")) {
            JsonNode values = node.get("enum");
            if (!values.isArray() || values.isEmpty()) {
                throw new IllegalArgumentException("enum at " + path + " must be a non-empty array");
            }
            List<JsonNode> list = new ArrayList<>();
            values.forEach(list::add);
            return new EnumSchema(list);
        }
        JsonNode type = node.get("type");
        if (type != null && type.isArray()) {
            List<JsonSchema> options = new ArrayList<>();
            boolean hasNumber = false;
            for (JsonNode t : type) {
                hasNumber |= "number".equals(t.asText());
            }
            for (JsonNode t : type) {
                if (hasNumber && "integer".equals(t.asText())) {
                    continue; // number already covers integer, and both start with the same characters
                }
                options.add(ofType(t.asText(), node, depth, path));
            }
            return options.size() == 1 ? options.getFirst() : new UnionSchema(options);
        }
        if (type != null) {
            if (!type.isTextual()) {
                throw new IllegalArgumentException("type at " + path + " must be a string or an array");
            }
            return ofType(type.asText(), node, depth, path);
        }
        if (node.has("properties") || node.has("required")) {
            return ofType("object", node, depth, path);
        }
        if (node.has("items")) {
            return ofType("array", node, depth, path);
        }
        for (String key : List.of("anyOf", "oneOf")) {
            if (node.has(key) && node.get(key).isArray()) {
                List<JsonSchema> options = new ArrayList<>();
                int i = 0;
                for (JsonNode option : node.get(key)) {
                    options.add(parse(option, depth + 1, path + "." + key + "[" + i++ + "]"));
                }
                return options.size() == 1 ? options.getFirst() : new UnionSchema(options);
            }
        }
        return new AnySchema();
    }

    private static JsonSchema ofType(String type, JsonNode node, int depth, String path) {
        return switch (type) {
            case "string" -> new StringSchema();
            case "integer" -> new NumberSchema(true);
            case "number" -> new NumberSchema(false);
            case "boolean" -> new BooleanSchema();
            case "null" -> new NullSchema();
            case "array" -> new ArraySchema(node.has("items") && !node.get("items").isArray()
                    ? parse(node.get("items"), depth + 1, path + ".items")
                    : new AnySchema());
            case "object" -> object(node, depth, path);
            default -> throw new IllegalArgumentException("unknown type '" + type + "' at " + path);
        };
    }

    private static ObjectSchema object(JsonNode node, int depth, String path) {
        Map<String, JsonSchema> properties = new LinkedHashMap<>();
        JsonNode props = node.get("properties");
        if (props != null) {
            if (!props.isObject()) {
                throw new IllegalArgumentException("properties at " + path + " must be an object");
            }
            props.properties().forEach(e ->
                    properties.put(e.getKey(), parse(e.getValue(), depth + 1, path + "." + e.getKey())));
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode req = node.get("required");
        if (req != null) {
            if (!req.isArray()) {
                throw new IllegalArgumentException("required at " + path + " must be an array");
            }
            for (JsonNode r : req) {
                if (!r.isTextual()) {
                    throw new IllegalArgumentException("required at " + path + " must list strings");
                }
                required.add(r.asText());
                properties.putIfAbsent(r.asText(), new AnySchema());
            }
        }
        JsonNode additional = node.get("additionalProperties");
        boolean additionalAllowed = additional == null || !(additional.isBoolean() && !additional.asBoolean());
        JsonSchema additionalSchema = additional != null && additional.isObject()
                ? parse(additional, depth + 1, path + ".additionalProperties")
                : new AnySchema();
        return new ObjectSchema(properties, required, additionalAllowed, additionalSchema);
    }
}
