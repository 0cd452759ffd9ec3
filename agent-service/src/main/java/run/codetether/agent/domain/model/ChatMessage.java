package run.codetether.agent.domain.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One turn of the model conversation, provider-neutral. Closed set. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "role")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChatMessage.User.class, name = "user"),
    @JsonSubTypes.Type(value = ChatMessage.Assistant.class, name = "assistant"),
    @JsonSubTypes.Type(value = ChatMessage.ToolResult.class, name = "tool")
})
public sealed interface ChatMessage {

    /**
     * The user's turn.
     *
     * @param images images that go with the text to a vision model (the images a compacted history still carries,
     *     the images of an RLM request); any other model gets the text only, which names them
     */
    record User(String text, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ImagePart> images) implements ChatMessage {
        public User {
            text = text == null ? "" : text;
            images = images == null ? List.of() : List.copyOf(images);
        }

        public User(String text) {
            this(text, List.of());
        }
    }

    /** The model's turn: text (may be empty) and tool calls (may be empty). */
    record Assistant(String text, List<ToolCall> toolCalls) implements ChatMessage {
        public Assistant {
            text = text == null ? "" : text;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }
    }

    /**
     * The result of one tool call, sent back to the model under the call's id.
     *
     * @param images images the tool returned (an MCP server's image content): a vision model gets them as image
     *     parts, any other model only {@code content}, which names each one (mime type, size)
     */
    record ToolResult(String callId, String toolName, String content, boolean error,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ImagePart> images) implements ChatMessage {
        public ToolResult {
            content = content == null ? "" : content;
            images = images == null ? List.of() : List.copyOf(images);
        }

        public ToolResult(String callId, String toolName, String content, boolean error) {
            this(callId, toolName, content, error, List.of());
        }
    }

    /** Rough size in characters, for the context-window estimate. */
    default int size() {
        return switch (this) {
            case User u -> u.text().length() + u.images().size() * ImagePart.SIZE_CHARS;
            case Assistant a -> a.text().length() + a.toolCalls().stream().mapToInt(c -> c.name().length() + c.argumentsJson().length()).sum();
            case ToolResult r -> r.content().length() + 16 + r.images().size() * ImagePart.SIZE_CHARS;
        };
    }
}
