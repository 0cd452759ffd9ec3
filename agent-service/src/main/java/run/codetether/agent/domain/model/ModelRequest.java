package run.codetether.agent.domain.model;

import java.util.List;

/** What one model call sends: system prompt, the (possibly compacted) conversation and the offered tools. */
public record ModelRequest(String modelId, String systemPrompt, List<ChatMessage> messages, List<ToolSpec> tools) {
    public ModelRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
