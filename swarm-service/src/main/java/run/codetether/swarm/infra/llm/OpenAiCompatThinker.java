package run.codetether.swarm.infra.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import run.codetether.swarm.domain.cognition.Thinker;

/**
 * The cognition thinker over an OpenAI-compatible endpoint ({@code CODETETHER_COGNITION_THINKER_BACKEND=openai_compat}).
 * One attempt per thought, no retries: a failure falls back to deterministic text at once.
 */
public final class OpenAiCompatThinker implements Thinker {
    private final ChatModel model;
    private final String modelName;

    public OpenAiCompatThinker(String baseUrl, String modelName, String apiKey, double temperature, int maxTokens,
            Duration timeout) {
        this.modelName = modelName;
        this.model = OpenAiChatModel.builder()
                .baseUrl(normalize(baseUrl))
                .apiKey(apiKey == null || apiKey.isBlank() ? "not-needed" : apiKey)
                .modelName(modelName)
                .temperature(temperature)
                .maxTokens(maxTokens)
                .timeout(timeout)
                .maxRetries(0)
                .build();
    }

    /** The original accepted a base URL with or without {@code /chat/completions}; LangChain4j appends it. */
    static String normalize(String baseUrl) {
        String s = baseUrl.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith("/chat/completions") ? s.substring(0, s.length() - "/chat/completions".length()) : s;
    }

    @Override
    public Output think(String system, String user) {
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(SystemMessage.from(system), UserMessage.from(user)).build());
        TokenUsage usage = response.tokenUsage();
        return new Output(response.aiMessage().text(),
                response.modelName() == null ? modelName : response.modelName(),
                response.finishReason() == null ? null : response.finishReason().name().toLowerCase(),
                usage == null ? null : usage.inputTokenCount(),
                usage == null ? null : usage.outputTokenCount(),
                usage == null ? null : usage.totalTokenCount());
    }
}
