package run.codetether.swarm.infra.llm;

import java.util.Map;
import java.util.Optional;
import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderConfigException;
import run.codetether.platform.providers.ProviderEndpoint;
import run.codetether.platform.providers.ProviderOverride;
import run.codetether.platform.providers.ProviderSpec;
import run.codetether.platform.providers.WireProtocol;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretException;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.swarm.domain.ChatPort.ChatException;

/**
 * Which endpoint, model and key the service's own model calls (plan, check, answer) use, from the platform's
 * {@link ProviderCatalog} with the same overrides ({@code codetether.providers.<name>.*}) and keys (Vault, then the
 * secrets file) as agent-service. This service speaks OpenAI-compatible providers only: a swarm whose sub-agents
 * use a provider this service cannot call (another protocol, as anthropic, google, bedrock, or no key here) has its
 * own calls made by the default provider with that provider's model; agent-service still serves its sub-agents.
 * Keys are read on every call through the caching source, so a rotated key is used within the cache TTL.
 */
public final class SwarmProviders {
    /** One resolved call target; {@code apiKey} is null for a keyless local server. Never printed with its key. */
    public record Endpoint(String name, String baseUrl, String model, String apiKey) {
        @Override
        public String toString() {
            return "Endpoint[" + name + " " + baseUrl + " " + model + "]";
        }
    }

    private final ProviderCatalog catalog;
    private final Map<String, ProviderOverride> overrides;
    private final Optional<String> defaultProvider;
    private final SecretSource secrets;

    /**
     * @param overrides per-provider base URL and model of this deployment
     * @param defaultProvider the provider of a swarm that names none, else the catalog's rule
     */
    public SwarmProviders(ProviderCatalog catalog, Map<String, ProviderOverride> overrides,
            Optional<String> defaultProvider, SecretSource secrets) {
        this.catalog = catalog;
        this.overrides = Map.copyOf(overrides);
        this.defaultProvider = defaultProvider.filter(s -> !s.isBlank());
        this.secrets = secrets;
    }

    /** Only the local provider at {@code baseUrl} with {@code model}, no key store (tests, benchmarks). */
    public static SwarmProviders local(String baseUrl, String model) {
        return new SwarmProviders(ProviderCatalog.builtIn(),
                Map.of(ProviderCatalog.LOCAL, ProviderOverride.of(baseUrl, model)), Optional.empty(),
                SecretSource.none());
    }

    /** @throws ChatException when the provider cannot be called from here (the message says what to set) */
    public Endpoint resolve(String provider, String model) {
        try {
            ProviderSpec spec = provider == null || provider.isBlank() ? defaultSpec() : catalog.require(provider);
            Optional<String> wanted = Optional.ofNullable(model);
            if (spec.protocol() != WireProtocol.OPENAI_COMPATIBLE || (spec.keyRequired() && !hasKey(spec))) {
                ProviderSpec fallback = defaultSpec();
                if (!fallback.equals(spec)) {
                    spec = fallback;
                    wanted = Optional.empty();
                }
            }
            ProviderEndpoint e = catalog.endpoint(spec.name(), override(spec.name()), wanted);
            return new Endpoint(spec.name(), e.baseUrl().orElseThrow(), e.model(), key(spec));
        } catch (ProviderConfigException | SecretException e) {
            throw new ChatException(e.getMessage(), null);
        }
    }

    private ProviderSpec defaultSpec() {
        ProviderSpec spec = catalog.chooseDefault(defaultProvider, this::override, this::hasKey, secrets.describe());
        if (spec.protocol() != WireProtocol.OPENAI_COMPATIBLE) {
            throw new ProviderConfigException("swarm-service makes its own calls through OpenAI-compatible providers"
                    + " only, and its default provider '" + spec.name() + "' speaks " + spec.protocol().wire()
                    + ": set CODETETHER_SWARM_DEFAULT_PROVIDER to one of " + String.join(", ", catalog.all().stream()
                            .filter(s -> s.protocol() == WireProtocol.OPENAI_COMPATIBLE).map(ProviderSpec::name)
                            .toList()));
        }
        return spec;
    }

    private ProviderOverride override(String name) {
        return overrides.getOrDefault(name, ProviderOverride.NONE);
    }

    private boolean hasKey(ProviderSpec spec) {
        return secrets.read(spec.secret()).map(s -> spec.protocol().hasKey(s)).orElse(false);
    }

    private String key(ProviderSpec spec) {
        Optional<String> key = secrets.read(spec.secret()).flatMap(Secret::apiKey);
        if (key.isEmpty() && spec.keyRequired()) {
            throw new ProviderConfigException("no API key for provider '" + spec.name() + "': run `codetether auth add "
                    + spec.name() + "` or store api_key in Vault at <mount>/<VAULT_SECRETS_PATH>/" + spec.name()
                    + ". Looked in: " + secrets.describe() + ".");
        }
        return key.orElse(null);
    }
}
