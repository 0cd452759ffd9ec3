package run.codetether.router.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The practical subset of JSON Schema that the router understands: types (also as a list), properties, required,
 * additionalProperties, items and enum/const. Everything else (anyOf with overlapping branches, patterns, numeric
 * bounds ...) degrades to {@link AnySchema} for generation, so a call is never refused for a keyword we ignore.
 */
public sealed interface JsonSchema {

    /** Any JSON value. */
    record AnySchema() implements JsonSchema {}

    record StringSchema() implements JsonSchema {}

    /** {@code integer} when {@code integerOnly}, else {@code number}. */
    record NumberSchema(boolean integerOnly) implements JsonSchema {}

    record BooleanSchema() implements JsonSchema {}

    record NullSchema() implements JsonSchema {}

    /** A closed set of JSON values ({@code enum} or {@code const}). */
    record EnumSchema(List<JsonNode> values) implements JsonSchema {
        public EnumSchema {
            values = List.copyOf(values);
        }
    }

    /**
     * An object. With declared properties, generation writes only those keys (and all {@code required} ones); with
     * none, any key is allowed and each value follows {@code additional}.
     */
    record ObjectSchema(Map<String, JsonSchema> properties, Set<String> required, boolean additionalAllowed,
            JsonSchema additional) implements JsonSchema {
        public ObjectSchema {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
            required = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(required));
        }

        /** True when generation may write keys that are not declared. */
        public boolean freeForm() {
            return properties.isEmpty() && additionalAllowed;
        }
    }

    record ArraySchema(JsonSchema items) implements JsonSchema {}

    /** {@code "type": [..]} or a simple anyOf/oneOf whose branches start with different characters. */
    record UnionSchema(List<JsonSchema> options) implements JsonSchema {
        public UnionSchema {
            options = List.copyOf(options);
        }
    }
}
