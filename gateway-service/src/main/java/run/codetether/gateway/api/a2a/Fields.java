package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import run.codetether.gateway.domain.A2AException;

/**
 * Typed reads from request JSON. Every wrong type or missing required field becomes Invalid params (-32602) naming
 * the field by its path, so a client learns exactly what to fix.
 */
public final class Fields {
    private Fields() {}

    public static ObjectNode object(JsonNode node, String path) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw A2AException.invalidParams(path + " is required");
        }
        if (!node.isObject()) {
            throw A2AException.invalidParams(path + " must be an object");
        }
        return (ObjectNode) node;
    }

    public static ObjectNode optObject(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        return object(n, path + "." + name);
    }

    public static String optString(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw A2AException.invalidParams(path + "." + name + " must be a string");
        }
        return n.textValue();
    }

    public static String string(JsonNode parent, String name, String path) {
        String s = optString(parent, name, path);
        if (s == null || s.isBlank()) {
            throw A2AException.invalidParams(path + "." + name + " is required");
        }
        return s;
    }

    public static Integer optInt(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) { // ProtoJSON allows int32 as a string
            try {
                return Integer.parseInt(n.textValue());
            } catch (NumberFormatException e) {
                throw A2AException.invalidParams(path + "." + name + " must be an integer");
            }
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw A2AException.invalidParams(path + "." + name + " must be a 32-bit integer");
        }
        return n.intValue();
    }

    public static Integer optNonNegative(JsonNode parent, String name, String path) {
        Integer v = optInt(parent, name, path);
        if (v != null && v < 0) {
            throw A2AException.invalidParams(path + "." + name + " must not be negative");
        }
        return v;
    }

    public static Boolean optBool(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw A2AException.invalidParams(path + "." + name + " must be a boolean");
        }
        return n.booleanValue();
    }

    public static List<String> optStrings(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw A2AException.invalidParams(path + "." + name + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw A2AException.invalidParams(path + "." + name + "[" + i + "] must be a string");
            }
            out.add(n.get(i).textValue());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> metadata(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw A2AException.invalidParams(path + "." + name + " must be an object");
        }
        Map<String, Object> m = WireJson.MAPPER.convertValue(n, Map.class);
        // Values may be null in JSON; the platform's records copy maps with Map.copyOf, which refuses nulls.
        m.values().removeIf(v -> v == null);
        return m;
    }

    /** Validates base64 (standard or URL-safe, as ProtoJSON accepts) and returns it in standard form. */
    public static String base64(String value, String path) {
        try {
            return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(value));
            } catch (IllegalArgumentException e2) {
                throw A2AException.invalidParams(path + " is not valid base64");
            }
        }
    }
}
