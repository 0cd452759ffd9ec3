package run.codetether.agent.domain.model;

/**
 * A call the model asked for. {@code id} is the provider's call id, or one the agent assigned when the provider
 * has none (Gemini); either way it is unique in the session and is the idempotency key at tools-service.
 */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        name = name == null ? "" : name;
        argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
    }
}
