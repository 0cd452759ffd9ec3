package run.codetether.agent.domain.model;

import java.util.List;

/** What the model answered. Tool call ids may be null (Gemini has none); the loop assigns them. */
public record ModelReply(String text, List<ToolCall> toolCalls, Usage usage) {
    public ModelReply {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.ZERO : usage;
    }
}
