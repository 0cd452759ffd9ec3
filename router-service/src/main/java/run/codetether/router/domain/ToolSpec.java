package run.codetether.router.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import run.codetether.router.domain.schema.JsonSchema.ObjectSchema;

/** A tool offered with a request: its name, description, raw JSON Schema and the parsed argument schema. */
public record ToolSpec(String name, String description, JsonNode rawSchema, ObjectSchema arguments) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(arguments, "arguments");
    }
}
