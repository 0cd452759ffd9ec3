package run.codetether.agent.domain.model;

/** A tool offered to the model: name, description and the JSON Schema of its arguments object. */
public record ToolSpec(String name, String description, String parametersJsonSchema) {}
