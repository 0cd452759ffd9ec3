package run.codetether.swarm.infra.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.codetether.platform.secrets.KvLayout;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretException;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;

/**
 * Secrets from Vault KV v2 (read through Quarkus Vault's KV engine, the {@link KvReader}), at the platform's
 * {@link KvLayout} (provider keys at
 * {@code <mount>/<VAULT_SECRETS_PATH>/<provider>}, the same paths agent-service reads). A missing secret is empty;
 * an unreachable or refusing Vault is a {@link SecretException} naming the path, never a value.
 */
final class VaultSecretSource implements SecretSource {
    /** Reads one KV v2 path below the mount; returns null or throws an exception whose message has "404" when absent. */
    interface KvReader extends java.util.function.Function<String, Map<String, String>> {}

    private final KvReader kv;
    private final KvLayout layout;
    private final String where;

    /** @param where the Vault address and mount, for messages */
    VaultSecretSource(KvReader kv, KvLayout layout, String where) {
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
