package run.codetether.router.domain.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import run.codetether.platform.json.Json;
import run.codetether.router.domain.schema.JsonSchema.ObjectSchema;
import run.codetether.router.domain.schema.JsonSchema.UnionSchema;

class SchemaTest {

    private static JsonSchema parse(String json) throws Exception {
        return SchemaParser.parse(Json.parse(json));
    }

    private static java.util.List<String> validate(String value, String schema) throws Exception {
        return SchemaValidator.validate(Json.parse(value), parse(schema));
    }

    @Test
    void parsesTheSupportedSubset() throws Exception {
        ObjectSchema o = (ObjectSchema) parse("""
                {"type":"object","properties":{"a":{"type":["string","null"]},"n":{"type":["integer","number"]}},
                 "required":["a","b"],"additionalProperties":false}""");
        assertInstanceOf(UnionSchema.class, o.properties().get("a"));
        assertInstanceOf(JsonSchema.NumberSchema.class, o.properties().get("n"), "integer folds into number");
        assertTrue(o.properties().containsKey("b"), "required keys are always writable");
        assertEquals(false, o.additionalAllowed());
        assertInstanceOf(JsonSchema.AnySchema.class, parse("{\"pattern\":\"x\"}"));
    }

    @Test
    void rejectsMalformedSchemas() {
        assertThrows(IllegalArgumentException.class, () -> parse("{\"type\":\"strnig\"}"));
        assertThrows(IllegalArgumentException.class, () -> parse("{\"enum\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> parse("{\"required\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> SchemaParser.parseArguments(Json.parse("{\"type\":\"string\"}")));
    }

    @Test
    void validatesTypesRequiredEnumsAndAdditionalProperties() throws Exception {
        String schema = """
                {"type":"object","properties":{"s":{"enum":["a","b"]},"i":{"type":"integer"},
                 "arr":{"type":"array","items":{"type":"boolean"}}},"required":["s"],"additionalProperties":false}""";
        assertEquals(java.util.List.of(), validate("{\"s\":\"a\",\"i\":3,\"arr\":[true]}", schema));
        assertEquals(1, validate("{\"i\":3}", schema).size());
        assertEquals(1, validate("{\"s\":\"c\"}", schema).size());
        assertEquals(1, validate("{\"s\":\"a\",\"i\":3.5}", schema).size());
        assertEquals(1, validate("{\"s\":\"a\",\"arr\":[1]}", schema).size());
        assertEquals(1, validate("{\"s\":\"a\",\"x\":1}", schema).size());
        assertEquals(java.util.List.of(), validate("{\"s\":\"a\",\"i\":3.0}", schema), "3.0 is an integer");
    }
}
