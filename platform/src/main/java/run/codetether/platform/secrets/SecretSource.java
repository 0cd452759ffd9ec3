package run.codetether.platform.secrets;

import java.util.Optional;

/**
 * Where secrets come from: provider keys, git host credentials, MCP server headers (see {@link SecretName}).
 * Implementations: {@link FileSecretSource} (the local secrets file), a Vault KV v2 adapter in each service's
 * {@code infra} (Quarkus Vault, laid out by {@link KvLayout}), and {@link CachingSecretSource} that chains and caches
 * them. Implementations never log, return in errors or otherwise reveal a value. Thread-safe.
 */
public interface SecretSource {

    /**
     * @return the secret, or empty when this store has none by that name
     * @throws SecretException when the store is configured but cannot be read (the message says how to fix it)
     */
    Optional<Secret> read(SecretName name);

    /** Forgets a cached value, e.g. after a provider rejected the key (rotation). */
    default void invalidate(SecretName name) {}

    /** Where this source looks, for messages ("Vault http://... at secret/codetether/...", "file /home/..."). */
    String describe();

    /** A source with no secrets (tests, a deployment with no store). */
    static SecretSource none() {
        return new SecretSource() {
            @Override
            public Optional<Secret> read(SecretName name) {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "no secret store";
            }
        };
    }
}
