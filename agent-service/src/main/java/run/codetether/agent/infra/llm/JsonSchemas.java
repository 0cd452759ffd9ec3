package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.List;
import run.codetether.platform.json.Json;

/** JSON Schema text (as tools-service and the agent tools describe arguments) to LangChain4j's schema model. */
final class JsonSchemas {
    private static final ObjectMapper JSON = Json.mapper();

    private JsonSchemas() {}

    static JsonObjectSchema objectSchema(String schemaJson) {
        JsonNode n;
        try {
            n = schemaJson == null || schemaJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(schemaJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("tool schema is not JSON: " + e.getMessage(), e);
        }
        return object(n);
    }

    private static JsonObjectSchema object(JsonNode n) {
        JsonObjectSchema.Builder b = JsonObjectSchema.builder();
        if (n.hasNonNull("description")) {
            b.description(n.get("description").asText());
        }
        n.path("properties").fields().forEachRemaining(p -> b.addProperty(p.getKey(), element(p.getValue())));
        List<String> required = new ArrayList<>();
        n.path("required").forEach(r -> required.add(r.asText()));
        if (!required.isEmpty()) {
            b.required(required);
        }
        return b.build();
    }

    private static JsonSchemaElement element(JsonNode n) {
        String d = n.hasNonNull("description") ? n.get("description").asText() : null;
        if (n.has("enum")) {
            List<String> values = new ArrayList<>();
            n.get("enum").forEach(v -> values.add(v.asText()));
            return JsonEnumSchema.builder().enumValues(values).description(d).build();
        }
        if (n.has("anyOf")) {
            List<JsonSchemaElement> any = new ArrayList<>();
            n.get("anyOf").forEach(a -> any.add(element(a)));
            return JsonAnyOfSchema.builder().anyOf(any).description(d).build();
        }
        JsonNode typeNode = n.path("type");
        String type = typeNode.isArray() ? firstNonNull(typeNode) : typeNode.asText("string");
        return switch (type) {
            case "object" -> {
                JsonObjectSchema o = object(n);
                yield o;
            }
            case "array" -> JsonArraySchema.builder().items(n.has("items") ? element(n.get("items"))
                    : JsonStringSchema.builder().build()).description(d).build();
            case "integer" -> JsonIntegerSchema.builder().description(d).build();
            case "number" -> JsonNumberSchema.builder().description(d).build();
            case "boolean" -> JsonBooleanSchema.builder().description(d).build();
            default -> JsonStringSchema.builder().description(d).build();
        };
    }

    private static String firstNonNull(JsonNode types) {
        for (JsonNode t : types) {
            if (!"null".equals(t.asText())) {
                return t.asText();
            }
        }
        return "string";
    }
}
