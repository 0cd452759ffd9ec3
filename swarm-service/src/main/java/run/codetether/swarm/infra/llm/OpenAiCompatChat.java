package run.codetether.swarm.infra.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.swarm.domain.ChatPort;

/**
 * {@link ChatPort} over any OpenAI-compatible chat-completions endpoint through LangChain4j; which endpoint, model
 * and key comes from {@link SwarmProviders}. One model client per provider, model and key, built on first use (a
 * rotated key builds a new client; the key is only hashed into the cache key). A JSON answer is requested with
 * {@code response_format: json_object} and the schema in the system prompt; the caller validates the answer against
 * the schema. No retries here: the swarm's retry budget decides.
 */
public final class OpenAiCompatChat implements ChatPort {
    private final SwarmProviders providers;
    private final Duration timeout;
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

    public OpenAiCompatChat(SwarmProviders providers, Duration timeout) {
        this.providers = providers;
        this.timeout = timeout;
    }

    @Override
    public String complete(String provider, String model, String system, String user, String jsonSchema) {
        SwarmProviders.Endpoint endpoint = providers.resolve(provider, model);
        String apiKey = endpoint.apiKey();
        String cacheKey = endpoint.name() + "\u0000" + endpoint.baseUrl() + "\u0000" + endpoint.model() + "\u0000"
                + (apiKey == null ? 0 : apiKey.hashCode());
        ChatModel chat = models.computeIfAbsent(cacheKey, k -> OpenAiChatModel.builder()
                .baseUrl(endpoint.baseUrl())
                .apiKey(apiKey == null || apiKey.isBlank() ? "not-needed" : apiKey)
                .modelName(endpoint.model())
                .timeout(timeout)
                .maxRetries(0)
                .build());
        String systemText = jsonSchema == null ? system
                : system + "\nAnswer with a single JSON object matching this JSON schema, no prose:\n" + jsonSchema;
        ChatRequest.Builder request = ChatRequest.builder()
                .messages(SystemMessage.from(systemText), UserMessage.from(user));
        if (jsonSchema != null) {
            request.responseFormat(ResponseFormat.JSON);
        }
        try {
            String text = chat.chat(request.build()).aiMessage().text();
            if (text == null) {
                throw new ChatException("provider '" + endpoint.name() + "' answered without text", null);
            }
            return text;
        } catch (ChatException e) {
            throw e;
        } catch (RuntimeException e) {
            // LangChain4j messages carry the HTTP status and body, never the request headers (so no key)
            throw new ChatException("provider '" + endpoint.name() + "' call failed: " + e.getMessage(), e);
        }
    }
}
