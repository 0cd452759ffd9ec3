package run.codetether.platform.secrets;

import java.util.Optional;

/**
 * Where secrets come from: provider keys, git host credentials, MCP server headers (see {@link SecretName}).
 * Implementations: {@link FileSecretSource} (the local secrets file), {@link KvSecretSource} (Vault KV v2 at the
 * {@link KvLayout}, read through each service's Quarkus Vault client in its {@code infra}), and
 * {@link CachingSecretSource} that chains and caches them. Implementations never log, return in errors or otherwise
 * reveal a value. Thread-safe.
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

    /** Reads the sources in order (Vault before the file) and answers with the first that has the secret; no cache. */
    static SecretSource firstOf(java.util.List<SecretSource> sources) {
        java.util.List<SecretSource> list = java.util.List.copyOf(sources);
        return new SecretSource() {
            @Override
            public Optional<Secret> read(SecretName name) {
                for (SecretSource s : list) {
                    Optional<Secret> found = s.read(name);
                    if (found.isPresent()) {
                        return found;
                    }
                }
                return Optional.empty();
            }

            @Override
            public void invalidate(SecretName name) {
                list.forEach(s -> s.invalidate(name));
            }

            @Override
            public String describe() {
                return list.isEmpty() ? "no secret store"
                        : String.join(" or ", list.stream().map(SecretSource::describe).toList());
            }
        };
    }

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
