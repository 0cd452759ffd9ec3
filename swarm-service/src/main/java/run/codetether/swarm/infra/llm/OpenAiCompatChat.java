package run.codetether.swarm.infra.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.platform.budget.MaxCost;
import run.codetether.swarm.domain.CallMeter;
import run.codetether.swarm.domain.ChatPort;

/**
 * {@link ChatPort} over any OpenAI-compatible chat-completions endpoint through LangChain4j; which endpoint, model
 * and key comes from {@link SwarmProviders}. One model client per provider, model and key, built on first use (a
 * rotated key builds a new client; the key is only hashed into the cache key). A JSON answer is requested with
 * {@code response_format: json_object} and the schema in the system prompt; the caller validates the answer against
 * the schema. No retries here: the swarm's retry budget decides.
 *
 * <p>Each answered call's usage, priced by the model catalog (the agent's figures: {@code codetether.models.catalog}),
 * goes to the {@link CallMeter} open on the calling thread, so the coordinator charges it to its swarm; before it is
 * sent, the call is admitted there with its maximum cost (the catalog's prices, the prompt's size and the model's
 * max output: {@link MaxCost}), which the coordinator reserves against the tenant's budget. OpenAI's
 * {@code prompt_tokens} include the cached ones ({@code prompt_tokens_details.cached_tokens}), so those are taken out
 * of the input count and charged as cache reads: no token is charged twice.
 */
public final class OpenAiCompatChat implements ChatPort {
    private final SwarmProviders providers;
    private final Duration timeout;
    private final ModelCatalog prices;
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

    /** Priced by the built-in catalog. */
    public OpenAiCompatChat(SwarmProviders providers, Duration timeout) {
        this(providers, timeout, ModelCatalog.builtIn());
    }

    public OpenAiCompatChat(SwarmProviders providers, Duration timeout, ModelCatalog prices) {
        this.providers = providers;
        this.timeout = timeout;
        this.prices = prices;
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
        ModelCatalog.Model listed = prices.find(endpoint.name(), endpoint.model()).orElse(null);
        // admitted (its maximum cost reserved against the tenant's budget) before anything is sent; a refusal is
        // thrown as it is, not as a failed call
        CallMeter.Pending call = CallMeter.begin(listed == null ? 0 : MaxCost.usd(listed.price(),
                listed.contextWindow(), listed.maxOutput(), (long) systemText.length() + user.length()));
        try (call) {
            ChatResponse response = chat.chat(request.build());
            call.answered(endpoint.name(), endpoint.model(), usage(response.tokenUsage(), listed));
            String text = response.aiMessage().text();
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

    /** Null when the provider reported no usage (nothing is invented). */
    private static Usage usage(TokenUsage reported, ModelCatalog.Model listed) {
        if (reported == null || reported.inputTokenCount() == null || reported.outputTokenCount() == null) {
            return null;
        }
        long prompt = Math.max(0, reported.inputTokenCount());
        long out = Math.max(0, reported.outputTokenCount());
        long cached = reported instanceof OpenAiTokenUsage o && o.inputTokensDetails() != null
                && o.inputTokensDetails().cachedTokens() != null ? Math.max(0, o.inputTokensDetails().cachedTokens()) : 0;
        long read = Math.min(cached, prompt);
        ModelCatalog.Price price = listed == null ? null : listed.price();
        Double cost = price == null ? null : price.cost(prompt - read, out, read, 0);
        return new Usage(prompt - read, out, read, 0, cost, cost != null);
    }
}
