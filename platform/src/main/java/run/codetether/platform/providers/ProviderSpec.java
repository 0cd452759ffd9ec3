package run.codetether.platform.providers;

import java.util.Objects;
import java.util.Optional;
import run.codetether.platform.secrets.SecretName;

/**
 * One provider of the catalog.
 *
 * @param name the provider name tasks and {@code codetether auth add} use
 * @param protocol how it is spoken to
 * @param defaultBaseUrl its public endpoint; empty where there is none to assume (local, bedrock: the region's)
 * @param defaultModel the model a task that names none gets; empty where only the deployment knows (local)
 * @param baseUrlEnv the original's environment variable for the base URL, where it had one
 * @param modelEnv the original's environment variable for the model, where it had one
 * @param keyRequired whether a call needs a stored key (a local server does not)
 */
public record ProviderSpec(String name, WireProtocol protocol, Optional<String> defaultBaseUrl,
        Optional<String> defaultModel, Optional<String> baseUrlEnv, Optional<String> modelEnv, boolean keyRequired) {

    public ProviderSpec {
        Objects.requireNonNull(protocol, "protocol");
        SecretName.provider(name); // the same naming rule as the secret it is stored under
    }

    /** A hosted provider: public endpoint, default model, key required. */
    public static ProviderSpec hosted(String name, WireProtocol protocol, String baseUrl, String model) {
        return new ProviderSpec(name, protocol, Optional.ofNullable(baseUrl), Optional.of(model), Optional.empty(),
                Optional.empty(), true);
    }

    /** Where its key is stored (Vault {@code <providers path>/<name>}, the file's {@code providers.<name>}). */
    public SecretName secret() {
        return SecretName.provider(name);
    }

    /** The config key of a per-provider setting, e.g. {@code codetether.providers.local.base-url}. */
    public String configKey(String setting) {
        return ProviderCatalog.CONFIG_PREFIX + "." + name + "." + setting;
    }
}
