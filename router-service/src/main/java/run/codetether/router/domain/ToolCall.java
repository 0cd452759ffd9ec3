package run.codetether.router.domain;

/** One structured call: the tool name and its arguments as a compact JSON object. */
public record ToolCall(String name, String argumentsJson) {}
