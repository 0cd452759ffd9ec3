package run.codetether.tools.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Typed access to a call's JSON arguments; every wrong or missing value is a clear INVALID_ARGUMENT. */
public record Args(String tool, JsonNode json) {

    public String requireString(String name) {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            throw ToolException.invalid(tool + ": '" + name + "' is required");
        }
        if (!n.isTextual()) {
            throw ToolException.invalid(tool + ": '" + name + "' must be a string");
        }
        return n.asText();
    }

    public Optional<String> string(String name) {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ToolException.invalid(tool + ": '" + name + "' must be a string");
        }
        return Optional.of(n.asText());
    }

    public Optional<Long> integer(String name) {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isIntegralNumber()) {
            return Optional.of(n.asLong());
        }
        if (n.isTextual() && n.asText().matches("-?\\d{1,18}")) {
            return Optional.of(Long.parseLong(n.asText()));
        }
        throw ToolException.invalid(tool + ": '" + name + "' must be an integer");
    }

    public long integer(String name, long def, long min, long max) {
        long v = integer(name).orElse(def);
        if (v < min || v > max) {
            throw ToolException.invalid(tool + ": '" + name + "' must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    public Optional<Boolean> bool(String name) {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isBoolean()) {
            return Optional.of(n.asBoolean());
        }
        throw ToolException.invalid(tool + ": '" + name + "' must be a boolean");
    }

    public boolean bool(String name, boolean def) {
        return bool(name).orElse(def);
    }

    public JsonNode requireArray(String name) {
        JsonNode n = json.get(name);
        if (n == null || !n.isArray()) {
            throw ToolException.invalid(tool + ": '" + name + "' is required and must be an array");
        }
        if (n.isEmpty()) {
            throw ToolException.invalid(tool + ": '" + name + "' must not be empty");
        }
        return n;
    }
}
