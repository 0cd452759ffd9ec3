package run.codetether.agent.infra.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ImagePart;
import run.codetether.agent.domain.model.ModelRequest;

/**
 * The neutral conversation as LangChain4j messages, with the images tools returned placed where the provider's API
 * takes them.
 */
final class LangChain4jMessages {

    /** Where a provider takes a tool's images. Closed set. */
    enum Images {
        /** The model reads no images (or the catalog does not say it does): the result's text names them. */
        NONE,
        /** Inside the tool result (Anthropic's {@code tool_result} content blocks, Bedrock Converse's toolResult). */
        IN_TOOL_RESULT,
        /**
         * In a user message right after the turn's tool results: OpenAI chat completions take only text in a tool
         * message, images only from the user; Gemini's functionResponse takes JSON only, its inlineData a user turn.
         */
        AFTER_TOOL_RESULTS
    }

    private LangChain4jMessages() {}

    static List<dev.langchain4j.data.message.ChatMessage> of(ModelRequest r, Images images) {
        List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>();
        if (r.systemPrompt() != null && !r.systemPrompt().isBlank()) {
            out.add(SystemMessage.from(r.systemPrompt()));
        }
        List<Content> pending = new ArrayList<>();
        for (ChatMessage m : r.messages()) {
            if (!(m instanceof ChatMessage.ToolResult)) {
                flush(out, pending);
            }
            switch (m) {
                case ChatMessage.User u -> out.add(user(u, images));
                case ChatMessage.Assistant a -> {
                    if (a.toolCalls().isEmpty()) {
                        out.add(AiMessage.from(a.text()));
                    } else {
                        List<ToolExecutionRequest> reqs = a.toolCalls().stream()
                                .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name())
                                        .arguments(c.argumentsJson()).build())
                                .toList();
                        out.add(a.text().isBlank() ? AiMessage.from(reqs) : AiMessage.from(a.text(), reqs));
                    }
                }
                case ChatMessage.ToolResult t -> out.add(toolResult(t, images, pending));
            }
        }
        flush(out, pending);
        return out;
    }

    private static ToolExecutionResultMessage toolResult(ChatMessage.ToolResult t, Images images,
            List<Content> pending) {
        String text = t.content().isEmpty() ? "(no output)" : t.content();
        if (t.images().isEmpty() || images == Images.NONE) {
            return ToolExecutionResultMessage.from(t.callId(), t.toolName(), text);
        }
        if (images == Images.IN_TOOL_RESULT) {
            List<Content> contents = new ArrayList<>();
            contents.add(TextContent.from(text));
            t.images().forEach(i -> contents.add(image(i)));
            return ToolExecutionResultMessage.builder().id(t.callId()).toolName(t.toolName()).contents(contents)
                    .build();
        }
        pending.add(TextContent.from("The image" + (t.images().size() == 1 ? "" : "s") + " returned by " + t.toolName()
                + " (call " + t.callId() + "):"));
        t.images().forEach(i -> pending.add(image(i)));
        return ToolExecutionResultMessage.from(t.callId(), t.toolName(), text);
    }

    /** A user turn with its images where the model reads images (every vision API takes them from the user). */
    private static UserMessage user(ChatMessage.User u, Images images) {
        String text = u.text().isEmpty() ? "(empty)" : u.text();
        if (u.images().isEmpty() || images == Images.NONE) {
            return UserMessage.from(text);
        }
        List<Content> contents = new ArrayList<>();
        contents.add(TextContent.from(text));
        u.images().forEach(i -> contents.add(image(i)));
        return UserMessage.from(contents);
    }

    private static void flush(List<dev.langchain4j.data.message.ChatMessage> out, List<Content> pending) {
        if (!pending.isEmpty()) {
            out.add(UserMessage.from(List.copyOf(pending)));
            pending.clear();
        }
    }

    private static ImageContent image(ImagePart i) {
        return ImageContent.from(i.base64(), i.mimeType());
    }
}
