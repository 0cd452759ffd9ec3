package run.codetether.platform.providers;

import static run.codetether.platform.providers.WireProtocol.BEDROCK;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import run.codetether.contracts.models.ModelCatalog;

/**
 * THE provider catalog of the platform: every provider a task may name, with its wire protocol, default endpoint
 * and model, the original's environment names and where its key is stored. agent-service and swarm-service resolve
 * providers through it, with the same per-deployment overrides ({@code codetether.providers.<name>.base-url},
 * {@code .model}), so both call the same endpoint for the same name. The entries are the {@code providers} of the
 * contracts' built-in model catalog ({@code catalog.json}, which the gateway and the CLI list too): adding a provider
 * is one entry there; the services pick it up by its protocol. Immutable, thread-safe.
 */
public final class ProviderCatalog {
    /** Prefix of the per-provider config keys in every service. */
    public static final String CONFIG_PREFIX = "codetether.providers";
    /** The provider that runs on the deployment's own OpenAI-compatible server (Ollama, vLLM, LM Studio). */
    public static final String LOCAL = "local";

    /**
     * In preference order (without an explicit default, the first hosted provider that has a key is used): the
     * {@code providers} of the built-in {@link ModelCatalog} document, the one list of providers in the platform.
     */
    private static final List<ProviderSpec> BUILT_IN = fromCatalog(ModelCatalog.builtIn());

    private static final ProviderCatalog INSTANCE = new ProviderCatalog(BUILT_IN);

    private final Map<String, ProviderSpec> byName = new LinkedHashMap<>();

    ProviderCatalog(List<ProviderSpec> specs) {
        for (ProviderSpec s : specs) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("provider " + s.name() + " is declared twice");
            }
        }
    }

    public static ProviderCatalog builtIn() {
        return INSTANCE;
    }

    /** The specs of a catalog document's providers; an entry without a known protocol is refused by name. */
    static List<ProviderSpec> fromCatalog(ModelCatalog catalog) {
        return catalog.providers().stream().map(p -> new ProviderSpec(p.name(), WireProtocol.fromWire(p.protocol(),
                p.name()), Optional.ofNullable(p.baseUrl()), Optional.ofNullable(p.defaultModel()),
                Optional.ofNullable(p.baseUrlEnv()), Optional.ofNullable(p.modelEnv()),
                p.keyRequired() == null || p.keyRequired())).toList();
    }

    /** Every provider, in preference order. */
    public List<ProviderSpec> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<ProviderSpec> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name.strip().toLowerCase()));
    }

    /** @throws ProviderConfigException naming the known providers */
    public ProviderSpec require(String name) {
        return find(name).orElseThrow(() -> new ProviderConfigException("unknown provider '" + name
                + "'; known providers: " + String.join(", ", names())));
    }

    /**
     * Resolves a provider for one call.
     *
     * @param requestedModel the task's model, if it names one
     * @throws ProviderConfigException when the provider is unknown, or has no URL or model to use (the message names
     *     the environment variable and config key to set)
     */
    public ProviderEndpoint endpoint(String name, ProviderOverride override, Optional<String> requestedModel) {
        ProviderSpec spec = require(name);
        Optional<String> url = override.baseUrl().or(spec::defaultBaseUrl);
        if (url.isEmpty() && spec.protocol() != BEDROCK) {
            throw new ProviderConfigException("provider '" + spec.name() + "' needs a URL: set "
                    + spec.baseUrlEnv().map(e -> e + " (" + spec.configKey("base-url") + ")")
                            .orElse(spec.configKey("base-url"))
                    + " to an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama");
        }
        Optional<String> model = requestedModel.map(String::strip).filter(s -> !s.isEmpty())
                .or(override::model).or(spec::defaultModel);
        if (model.isEmpty()) {
            throw new ProviderConfigException("provider '" + spec.name() + "' needs a model: set "
                    + spec.modelEnv().map(e -> e + " (" + spec.configKey("model") + ")").orElse(spec.configKey("model"))
                    + ", e.g. qwen2.5-coder:7b");
        }
        return new ProviderEndpoint(spec, url, model.get());
    }

    /**
     * The provider of a task that names none: the deployment's explicit default; else {@value #LOCAL} when a local
     * server is configured; else the first hosted provider (in catalog order) that has a key.
     *
     * @param overrides the deployment's per-provider settings
     * @param hasKey whether a provider has a usable stored key (may throw the store's exception)
     * @param lookedIn where keys were looked for, for the message when nothing is configured
     * @throws ProviderConfigException when nothing is configured (the message says every way to configure one)
     */
    public ProviderSpec chooseDefault(Optional<String> explicit, Function<String, ProviderOverride> overrides,
            Predicate<ProviderSpec> hasKey, String lookedIn) {
        Optional<String> named = explicit.map(String::strip).filter(s -> !s.isEmpty());
        if (named.isPresent()) {
            return require(named.get());
        }
        if (overrides.apply(LOCAL).baseUrl().isPresent()) {
            return byName.get(LOCAL);
        }
        for (ProviderSpec s : byName.values()) {
            if (s.keyRequired() && hasKey.test(s)) {
                return s;
            }
        }
        throw new ProviderConfigException(notConfigured(lookedIn));
    }

    /** The message of a deployment with no usable provider: every way to configure one. */
    public String notConfigured(String lookedIn) {
        return "No LLM provider is configured. Configure one of: (1) a local OpenAI-compatible server: set "
                + "CODETETHER_LOCAL_BASE_URL (e.g. http://127.0.0.1:11434/v1) and CODETETHER_LOCAL_MODEL; "
                + "(2) a hosted provider: run `codetether auth add <provider>` (writes the local secrets file, "
                + "$XDG_CONFIG_HOME or ~/.config/codetether/secrets.json, mode 0600) or store api_key in Vault at "
                + "secret/codetether/providers/<provider> (VAULT_ADDR, VAULT_TOKEN). Providers: "
                + String.join(", ", names()) + ". Looked in: " + lookedIn + ".";
    }
}
