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
import java.util.function.Function;
import run.codetether.swarm.domain.ChatPort;

/**
 * {@link ChatPort} over any OpenAI-compatible chat-completions endpoint through LangChain4j. One model client per
 * provider and model, built on first use. A JSON answer is requested with {@code response_format: json_object} and
 * the schema in the system prompt; the caller validates the answer against the schema. No retries here: the swarm's
 * retry budget decides.
 */
public final class OpenAiCompatChat implements ChatPort {

    /** One provider's endpoint; {@code apiKey} may be null for local servers. */
    public record Endpoint(String baseUrl, String model, String apiKey) {}

    private final Map<String, Endpoint> endpoints;
    private final String defaultProvider;
    private final Duration timeout;
    private final Function<String, String> keys;
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

    public OpenAiCompatChat(Map<String, Endpoint> endpoints, String defaultProvider, Duration timeout) {
        this(endpoints, defaultProvider, timeout, name -> null);
    }

    /**
     * @param keys the API key of a provider whose endpoint has none configured (Vault, the secrets file), or null;
     *     asked on every call, so it must cache (see {@code infra.secrets.CachingSecretSource})
     */
    public OpenAiCompatChat(Map<String, Endpoint> endpoints, String defaultProvider, Duration timeout,
            Function<String, String> keys) {
        this.keys = keys;
        this.endpoints = Map.copyOf(endpoints);
        this.defaultProvider = defaultProvider;
        this.timeout = timeout;
    }

    @Override
    public String complete(String provider, String model, String system, String user, String jsonSchema) {
        String requested = provider == null || provider.isBlank() ? defaultProvider : provider;
        String name = requested;
        String wantedModel = model == null || model.isBlank() ? null : model;
        if (!endpoints.containsKey(name) && endpoints.containsKey(defaultProvider)) {
            // a swarm names its sub-agents' provider (agent-service serves every provider, this service only
            // OpenAI-compatible ones): the coordinator's own calls (plan, check, answer) use its default endpoint
            // and that endpoint's model
            name = defaultProvider;
            wantedModel = null;
        }
        Endpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
            throw new ChatException("no endpoint configured for provider '" + requested + "' (configured: "
                    + endpoints.keySet() + "); set codetether.swarm.providers." + requested + ".base-url", null);
        }
        String modelName = wantedModel == null ? endpoint.model() : wantedModel;
        String apiKey = endpoint.apiKey() != null && !endpoint.apiKey().isBlank() ? endpoint.apiKey()
                : keys.apply(name);
        // a rotated key builds a new client; the key itself is only hashed into the cache key, never logged
        String cacheKey = name + "\u0000" + modelName + "\u0000" + (apiKey == null ? 0 : apiKey.hashCode());
        ChatModel chat = models.computeIfAbsent(cacheKey, k -> OpenAiChatModel.builder()
                .baseUrl(endpoint.baseUrl())
                .apiKey(apiKey == null || apiKey.isBlank() ? "not-needed" : apiKey)
                .modelName(modelName)
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
                throw new ChatException("provider '" + name + "' answered without text", null);
            }
            return text;
        } catch (ChatException e) {
            throw e;
        } catch (RuntimeException e) {
            // LangChain4j messages carry the HTTP status and body, never the request headers (so no key)
            throw new ChatException("provider '" + name + "' call failed: " + e.getMessage(), e);
        }
    }
}
