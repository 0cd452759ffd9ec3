package run.codetether.platform.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Secrets from Vault KV v2 at the platform's {@link KvLayout}. The read itself is the service's: each service passes
 * its Quarkus Vault KV engine as the {@link KvReader} ({@code path -> kv.readSecret(path)}), so this library stays
 * free of Quarkus. A missing secret (Vault answers 404) is empty; an unreachable or refusing Vault is a
 * {@link SecretException} that names the path and how to fix a refusal, never the underlying message (it may
 * carry a token) and never a value.
 */
public final class KvSecretSource implements SecretSource {
    /** Reads one KV v2 path below the mount; returns null or throws an exception whose message has "404" when absent. */
    @FunctionalInterface
    public interface KvReader extends Function<String, Map<String, String>> {}

    private final KvReader kv;
    private final KvLayout layout;
    private final String where;

    /** @param where the Vault address and mount, for messages */
    public KvSecretSource(KvReader kv, KvLayout layout, String where) {
        this.kv = kv;
        this.layout = layout;
        this.where = where;
    }

    @Override
    public Optional<Secret> read(SecretName name) {
        String path = layout.path(name);
        Map<String, String> data;
        try {
            data = kv.apply(path);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("404")) {
                return Optional.empty();
            }
            throw new SecretException("cannot read " + path + " from Vault " + where + ": "
                    + e.getClass().getSimpleName() + (msg.contains("403") ? " (permission denied: check VAULT_TOKEN or"
                    + " the Kubernetes auth role)" : ""));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    fields.put(k, v);
                }
            });
        }
        return fields.isEmpty() ? Optional.empty() : Optional.of(new Secret(fields));
    }

    @Override
    public String describe() {
        return "Vault " + where + " at " + layout.providersPath() + "/<provider>";
    }
}
