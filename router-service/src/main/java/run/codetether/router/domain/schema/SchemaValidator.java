package run.codetether.router.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.router.domain.schema.JsonSchema.AnySchema;
import run.codetether.router.domain.schema.JsonSchema.ArraySchema;
import run.codetether.router.domain.schema.JsonSchema.BooleanSchema;
import run.codetether.router.domain.schema.JsonSchema.EnumSchema;
import run.codetether.router.domain.schema.JsonSchema.NullSchema;
import run.codetether.router.domain.schema.JsonSchema.NumberSchema;
import run.codetether.router.domain.schema.JsonSchema.ObjectSchema;
import run.codetether.router.domain.schema.JsonSchema.StringSchema;
import run.codetether.router.domain.schema.JsonSchema.UnionSchema;

/** Checks a JSON value against a {@link JsonSchema}; returns the violations (empty when valid). */
public final class SchemaValidator {

    private SchemaValidator() {}

    public static List<String> validate(JsonNode value, JsonSchema schema) {
        List<String> errors = new ArrayList<>();
        check(value, schema, "$", errors);
        return errors;
    }

    private static void check(JsonNode value, JsonSchema schema, String path, List<String> errors) {
        switch (schema) {
            case AnySchema any -> { }
            case StringSchema s -> expect(value.isTextual(), path, "a string", value, errors);
            case NumberSchema n -> expect(n.integerOnly() ? isInteger(value) : value.isNumber(), path,
                    n.integerOnly() ? "an integer" : "a number", value, errors);
            case BooleanSchema b -> expect(value.isBoolean(), path, "a boolean", value, errors);
            case NullSchema n -> expect(value.isNull(), path, "null", value, errors);
            case EnumSchema e -> expect(e.values().stream().anyMatch(v -> sameValue(v, value)), path,
                    "one of " + e.values(), value, errors);
            case ArraySchema a -> {
                if (expect(value.isArray(), path, "an array", value, errors)) {
                    for (int i = 0; i < value.size(); i++) {
                        check(value.get(i), a.items(), path + "[" + i + "]", errors);
                    }
                }
            }
            case ObjectSchema o -> object(value, o, path, errors);
            case UnionSchema u -> {
                boolean any = u.options().stream().anyMatch(option -> validate(value, option).isEmpty());
                expect(any, path, "a value matching one of " + u.options().size() + " alternatives", value, errors);
            }
        }
    }

    private static void object(JsonNode value, ObjectSchema o, String path, List<String> errors) {
        if (!expect(value.isObject(), path, "an object", value, errors)) {
            return;
        }
        for (String key : o.required()) {
            if (!value.has(key)) {
                errors.add(path + ": missing required property '" + key + "'");
            }
        }
        value.properties().forEach(e -> {
            JsonSchema property = o.properties().get(e.getKey());
            if (property != null) {
                check(e.getValue(), property, path + "." + e.getKey(), errors);
            } else if (!o.additionalAllowed()) {
                errors.add(path + ": property '" + e.getKey() + "' is not allowed");
            } else {
                check(e.getValue(), o.additional(), path + "." + e.getKey(), errors);
            }
        });
    }

    private static boolean isInteger(JsonNode value) {
        return value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean expect(boolean ok, String path, String what, JsonNode value, List<String> errors) {
        if (!ok) {
            errors.add(path + ": expected " + what + ", got " + value.getNodeType().name().toLowerCase());
        }
        return ok;
    }
}
