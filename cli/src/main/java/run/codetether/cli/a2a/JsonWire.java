package run.codetether.cli.a2a;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import run.codetether.platform.json.Json;

/**
 * JSON for the request a command sends first, without the platform's {@code ObjectMapper}: its set-up (modules, date
 * formats, serializer caches) was about a third of {@code run}'s main-thread CPU before the first request. Trees are
 * built with the node factory the mapper uses and written with a plain streaming {@link JsonGenerator}, byte for
 * byte as the mapper writes a tree (as built, explicit nulls included). A value this class does not know (a record, a
 * map holding a null) is handed to the mapper, which then does exactly what it did before.
 */
final class JsonWire {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonWire() {}

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@code value} as a tree, as {@code ObjectMapper.valueToTree} makes it. */
    static JsonNode tree(Object value) {
        JsonNode plain = plain(value);
        return plain != null ? plain : Json.mapper().valueToTree(value);
    }

    /** The tree of strings, booleans, ints, longs, doubles, maps and collections of them; null for anything else. */
    private static JsonNode plain(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value) {
            case null -> f.nullNode();
            case JsonNode n -> n;
            case String s -> f.textNode(s);
            case Boolean b -> f.booleanNode(b);
            case Integer i -> f.numberNode(i);
            case Long l -> f.numberNode(l);
            case Double d -> f.numberNode(d);
            case Map<?, ?> m -> {
                ObjectNode o = f.objectNode();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    // the mapper's rules for null values and non-string keys are the mapper's to apply
                    JsonNode v = e.getKey() instanceof String && e.getValue() != null ? plain(e.getValue()) : null;
                    if (v == null) {
                        yield null;
                    }
                    o.set((String) e.getKey(), v);
                }
                yield o;
            }
            case Collection<?> c -> {
                ArrayNode a = f.arrayNode();
                for (Object item : c) {
                    JsonNode v = item == null ? null : plain(item);
                    if (v == null) {
                        yield null;
                    }
                    a.add(v);
                }
                yield a;
            }
            default -> null;
        };
    }

    /** UTF-8 JSON of a tree, as {@code ObjectMapper.writeValueAsBytes(tree)} writes it. */
    static byte[] bytes(JsonNode tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (!write(g, tree)) {
                return Json.bytes(tree);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a JSON tree to memory", e);
        }
        return out.toByteArray();
    }

    /** False when the tree holds a node kind that is the mapper's to write (POJO nodes). */
    private static boolean write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    if (!write(g, e.getValue())) {
                        return false;
                    }
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : n) {
                    if (!write(g, item)) {
                        return false;
                    }
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                }
            }
            case BINARY -> g.writeBinary(n.binaryValue());
            default -> {
                return false;
            }
        }
        return true;
    }
}
