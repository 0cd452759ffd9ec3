package run.codetether.agent.infra.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.model.bedrock.BedrockStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.provider.ModelCatalog;
import run.codetether.agent.domain.provider.ModelInfo;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.agent.domain.provider.RetryingChatProvider;
import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderSpec;
import run.codetether.platform.providers.WireProtocol;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretException;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Every provider of the platform's {@link ProviderCatalog} through LangChain4j, by its wire protocol: the OpenAI-compatible ones (moonshotai, openai, deepseek, groq,
 * mistral, xai, together, fireworks, cerebras, zai, ollama, local, openai-compatible ...) share one adapter with
 * the provider's base URL; azure-openai is the same client on the deployment URL with the {@code api-key} header
 * and {@code api-version} query; anthropic, google (Gemini) and bedrock (Converse) use their own modules.
 * Keys come from the {@link SecretSource} for every call (its cache TTL bounds how soon a rotated key is used); a 401
 * re-reads the key at once before the call fails. Models are cached per (provider, model), rebuilt for a new key.
 */
public final class LangChain4jProviders implements ProviderResolver {
    private static final ProviderCatalog PROVIDERS = ProviderCatalog.builtIn();
    public static final List<String> NAMES = PROVIDERS.names();
    static final String AZURE_API_VERSION = "2024-10-21";

    private final Map<String, ProviderSettings> settings;
    private final Optional<String> defaultProvider;
    private final SecretSource secrets;
    private final int maxRetries;
    private final Duration maxRetryWait;
    private final Map<String, Keyed> cache = new ConcurrentHashMap<>();
    private final run.codetether.contracts.models.ModelCatalog catalog;

    public LangChain4jProviders(Map<String, ProviderSettings> settings, Optional<String> defaultProvider,
            SecretSource secrets, int maxRetries, Duration maxRetryWait) {
        this(settings, defaultProvider, secrets, maxRetries, maxRetryWait,
                run.codetether.contracts.models.ModelCatalog.builtIn());
    }

    /** @param catalog prices and context windows (the deployment's {@code codetether.models.catalog}, else built in) */
    public LangChain4jProviders(Map<String, ProviderSettings> settings, Optional<String> defaultProvider,
            SecretSource secrets, int maxRetries, Duration maxRetryWait,
            run.codetether.contracts.models.ModelCatalog catalog) {
        this.catalog = catalog;
        this.settings = Map.copyOf(settings);
        this.defaultProvider = defaultProvider.filter(s -> !s.isBlank());
        this.secrets = secrets;
        this.maxRetries = maxRetries;
        this.maxRetryWait = maxRetryWait;
        OpenAiWireJson.compact(); // before the first model call (issue 18: request bodies without indentation)
    }

    private ProviderSettings settings(String name) {
        return settings.getOrDefault(name, ProviderSettings.defaults());
    }

    @Override
    public Resolved resolve(String provider, String model) throws ProviderException {
        String name = provider != null && !provider.isBlank() ? provider.trim().toLowerCase() : chooseDefault();
        Optional<ProviderSpec> kind = PROVIDERS.find(name);
        if (kind.isEmpty()) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED,
                    "unknown provider '" + name + "'; known providers: " + String.join(", ", NAMES));
        }
        ProviderSettings s = settings(name);
        String modelId = model != null && !model.isBlank() ? model : s.model().orElse(ModelCatalog.defaultModel(name));
        if (modelId == null && name.equals("local")) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, "provider 'local' needs a model: set "
                    + "CODETETHER_LOCAL_MODEL (codetether.providers.local.model), e.g. qwen2.5-coder:7b");
        }
        if (modelId == null) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, "provider '" + name + "' needs a model: "
                    + "name one in the task's model metadata or set codetether.providers." + name + ".model");
        }
        if (name.equals("local") && s.baseUrl().isEmpty()) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, "provider 'local' needs a URL: set "
                    + "CODETETHER_LOCAL_BASE_URL (codetether.providers.local.base-url) to an OpenAI-compatible "
                    + "endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama");
        }
        if (s.baseUrl().isEmpty() && kind.get().defaultBaseUrl().isEmpty() && kind.get().protocol() != WireProtocol.BEDROCK) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, "provider '" + name + "' needs a URL: set "
                    + "codetether.providers." + name + ".base-url"
                    + (name.equals("azure-openai") ? " to the resource endpoint, e.g. https://<resource>.openai.azure.com"
                            : " to an OpenAI-compatible endpoint (the part before /chat/completions)"));
        }
        ModelInfo catalog = ModelCatalog.lookup(this.catalog, name, modelId);
        ModelInfo info = s.contextWindow().map(catalog::withContextWindow).orElse(catalog);
        secret(kind.get()); // a provider without a key fails the task at its start, not at its first call
        ChatProvider keyed = new KeyRefreshing(name, modelId);
        return new Resolved(name, modelId, info, new RetryingChatProvider(keyed, maxRetries, Duration.ofMillis(500), maxRetryWait));
    }

    /** Explicit default, else local when configured, else the first provider with a key (moonshotai first). */
    private String chooseDefault() throws ProviderException {
        if (defaultProvider.isPresent()) {
            return defaultProvider.get();
        }
        if (settings("local").baseUrl().isPresent()) {
            return "local";
        }
        for (String n : NAMES) {
            if (PROVIDERS.require(n).keyRequired() && readSecret(n).isPresent()) {
                return n;
            }
        }
        throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, notConfiguredMessage());
    }

    private String notConfiguredMessage() {
        return "No LLM provider is configured. Configure one of: (1) a local OpenAI-compatible server: set "
                + "CODETETHER_LOCAL_BASE_URL (e.g. http://127.0.0.1:11434/v1) and CODETETHER_LOCAL_MODEL; "
                + "(2) a hosted provider: run `codetether auth add <provider>` (writes the local secrets file, "
                + "$XDG_CONFIG_HOME or ~/.config/codetether/secrets.json, mode 0600) or store api_key in Vault at secret/codetether/providers/<provider> (VAULT_ADDR, VAULT_TOKEN). "
                + "Providers: " + String.join(", ", NAMES) + ". Looked in: " + secrets.describe() + ".";
    }

    private Optional<Secret> readSecret(String name) throws ProviderException {
        try {
            return secrets.read(SecretName.provider(name));
        } catch (SecretException e) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, e.getMessage());
        }
    }

    private Map<String, String> secret(ProviderSpec kind) throws ProviderException {
        String name = kind.name();
        Optional<Secret> s = readSecret(name);
        if (!kind.keyRequired()) {
            return s.map(Secret::fields).orElse(Map.of());
        }
        if (s.isEmpty() || !kind.protocol().hasKey(s.get())) {
            throw new ProviderException(ProviderException.Kind.NOT_CONFIGURED, "no API key for provider '" + name
                    + "': run `codetether auth add " + name + "` or store api_key in Vault at secret/codetether/providers/"
                    + name + ". Looked in: " + secrets.describe() + ".");
        }
        return s.get().fields();
    }

    /**
     * Reads the key for every call through the secret source (whose cache TTL, {@code secrets-cache-ttl}, bounds how
     * long a rotated key takes to be used: the next call after it, without a restart), and re-reads it once at once
     * when the provider rejects it. A key removed from the store fails the next call naming where it was looked for.
     * One model per (provider, model): a new key replaces the model built for the old one.
     */
    private final class KeyRefreshing implements ChatProvider {
        private final String name;
        private final String model;

        KeyRefreshing(String name, String model) {
            this.name = name;
            this.model = model;
        }

        @Override
        public ModelReply chat(ModelRequest request, Consumer<String> partial) throws ProviderException, InterruptedException {
            Map<String, String> secret = secret(PROVIDERS.require(name));
            try {
                return model(secret).chat(request, partial);
            } catch (ProviderException e) {
                if (e.kind() != ProviderException.Kind.AUTH) {
                    throw e;
                }
                secrets.invalidate(SecretName.provider(name));
                Map<String, String> fresh = secret(PROVIDERS.require(name));
                if (fresh.equals(secret)) {
                    throw e;
                }
                return model(fresh).chat(request, partial);
            }
        }

        private ChatProvider model(Map<String, String> s) {
            Keyed k = cache.compute(name + "|" + model, (key, old) -> old != null && old.secret().equals(s) ? old
                    : new Keyed(s, build(name, model, s)));
            return k.provider();
        }
    }

    /** A provider's model built with one key. */
    private record Keyed(Map<String, String> secret, ChatProvider provider) {}

    private ChatProvider build(String name, String model, Map<String, String> secret) {
        ProviderSettings s = settings(name);
        Duration timeout = s.timeout();
        Set<String> secretValues = new LinkedHashSet<>(secret.values());
        String apiKey = secret.getOrDefault("api_key", "");
        ProviderSpec kind = PROVIDERS.require(name);
        String url = s.baseUrl().orElse(kind.defaultBaseUrl().orElse(null));
        LangChain4jMessages.Images images = images(name, model, kind.protocol());
        return switch (kind.protocol()) {
            case AZURE_OPENAI -> azure(url, model, apiKey, s, secretValues, images);
            case ANTHROPIC -> {
                ChatModel sync = AnthropicChatModel.builder().baseUrl(url).apiKey(apiKey).modelName(model)
                        .maxTokens(8192).timeout(timeout).maxRetries(0)
                        .httpClientBuilder(new HeaderAwareHttpClientBuilder()).build();
                StreamingChatModel stream = s.streaming() ? AnthropicStreamingChatModel.builder().baseUrl(url)
                        .apiKey(apiKey).modelName(model).maxTokens(8192).timeout(timeout)
                        .httpClientBuilder(new HeaderAwareHttpClientBuilder()).build() : null;
                yield new LangChain4jChatProvider(name, url, sync, stream, secretValues, images);
            }
            case GEMINI -> {
                ChatModel sync = GoogleAiGeminiChatModel.builder().baseUrl(url).apiKey(apiKey).modelName(model)
                        .timeout(timeout).maxRetries(0).httpClientBuilder(new HeaderAwareHttpClientBuilder()).build();
                StreamingChatModel stream = s.streaming() ? GoogleAiGeminiStreamingChatModel.builder().baseUrl(url)
                        .apiKey(apiKey).modelName(model).timeout(timeout)
                        .httpClientBuilder(new HeaderAwareHttpClientBuilder()).build() : null;
                yield new LangChain4jChatProvider(name, url, sync, stream, secretValues, images);
            }
            case BEDROCK -> {
                String id = secret.getOrDefault("aws_access_key_id", apiKey.contains(":") ? apiKey.split(":", 2)[0] : apiKey);
                String secretKey = secret.getOrDefault("aws_secret_access_key", apiKey.contains(":") ? apiKey.split(":", 2)[1] : "");
                String region = s.region().orElse(secret.getOrDefault("aws_region", "us-east-1"));
                var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secretKey));
                var client = BedrockRuntimeClient.builder()
                        .region(Region.of(region))
                        .credentialsProvider(credentials)
                        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()).apiCallTimeout(timeout));
                s.baseUrl().ifPresent(u -> client.endpointOverride(URI.create(u)));
                ChatModel sync = BedrockChatModel.builder().client(client.build()).modelId(model).maxRetries(0).build();
                StreamingChatModel stream = null;
                if (s.streaming()) {
                    // ConverseStream over the SDK's async Netty client, on HTTP/1.1: the response is a one-way event
                    // stream, which Bedrock serves on HTTP/1.1 as well (the client's HTTP/2 default needs ALPN/h2c)
                    var async = BedrockRuntimeAsyncClient.builder()
                            .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                            .region(Region.of(region))
                            .credentialsProvider(credentials)
                            .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()).apiCallTimeout(timeout));
                    s.baseUrl().ifPresent(u -> async.endpointOverride(URI.create(u)));
                    stream = BedrockStreamingChatModel.builder().client(async.build()).modelId(model).build();
                }
                yield new LangChain4jChatProvider(name, s.baseUrl().orElse("bedrock-runtime." + region), sync, stream,
                        secretValues, images);
            }
            case OPENAI_COMPATIBLE -> {
                String key = apiKey.isEmpty() ? "none" : apiKey;
                // Copilot reads per-request headers (initiator, vision) beside the key
                java.util.function.Function<String, Map<String, String>> headers = name.equals("github-copilot")
                        ? CopilotHeaders::of : body -> Map.of();
                ChatModel sync = OpenAiChatModel.builder().baseUrl(url).apiKey(key).modelName(model).timeout(timeout)
                        .maxRetries(0).httpClientBuilder(new HeaderAwareHttpClientBuilder(headers)).build();
                StreamingChatModel stream = s.streaming() ? OpenAiStreamingChatModel.builder().baseUrl(url).apiKey(key)
                        .modelName(model).timeout(timeout).httpClientBuilder(new HeaderAwareHttpClientBuilder(headers))
                        .build() : null;
                yield new LangChain4jChatProvider(name, url, sync, stream, secretValues, images);
            }
        };
    }

    /** Where a tool's images go for this model: nowhere unless the catalog says it reads images. */
    private LangChain4jMessages.Images images(String provider, String model, WireProtocol protocol) {
        if (!catalog.find(provider, model).map(run.codetether.contracts.models.ModelCatalog.Model::takesImages)
                .orElse(false)) {
            return LangChain4jMessages.Images.NONE;
        }
        // Converse takes image blocks inside a toolResult and refuses two user turns in a row, so Bedrock gets them
        // where Anthropic does; Gemini's functionResponse and OpenAI's tool message take no images
        return protocol == WireProtocol.ANTHROPIC || protocol == WireProtocol.BEDROCK
                ? LangChain4jMessages.Images.IN_TOOL_RESULT : LangChain4jMessages.Images.AFTER_TOOL_RESULTS;
    }

    /**
     * Azure OpenAI speaks OpenAI chat completions on {@code <resource>/openai/deployments/<deployment>} with the key
     * in an {@code api-key} header and a mandatory {@code api-version} query; no Bearer header is sent (Azure would
     * read it as an Entra token).
     */
    private ChatProvider azure(String resource, String deployment, String apiKey, ProviderSettings s,
            Set<String> secretValues, LangChain4jMessages.Images images) {
        String url = resource.replaceAll("/+$", "");
        if (!url.contains("/openai/deployments/")) {
            url = url + "/openai/deployments/" + deployment;
        }
        Map<String, String> headers = Map.of("api-key", apiKey);
        Map<String, String> query = Map.of("api-version", s.apiVersion().orElse(AZURE_API_VERSION));
        ChatModel sync = OpenAiChatModel.builder().baseUrl(url).modelName(deployment).customHeaders(headers)
                .customQueryParams(query).timeout(s.timeout()).maxRetries(0)
                .httpClientBuilder(new HeaderAwareHttpClientBuilder()).build();
        StreamingChatModel stream = s.streaming() ? OpenAiStreamingChatModel.builder().baseUrl(url).modelName(deployment)
                .customHeaders(headers).customQueryParams(query).timeout(s.timeout())
                .httpClientBuilder(new HeaderAwareHttpClientBuilder()).build() : null;
        return new LangChain4jChatProvider("azure-openai", url, sync, stream, secretValues, images);
    }
}
