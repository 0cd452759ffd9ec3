package run.codetether.agent.infra.secrets;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Provider keys from Vault KV v2 at {@code <mount>/<secretsPath>/<provider>} (defaults
 * {@code secret/codetether/providers/<provider>}), read through Quarkus Vault's KV engine (the reader function).
 * A missing secret is empty; an unreachable or refusing Vault is a {@link SecretException} naming the path.
 */
public final class VaultSecretSource implements SecretSource {
    /** Reads one KV v2 path; returns null or throws an exception carrying "404" when absent. */
    public interface KvReader extends Function<String, Map<String, String>> {}

    private final KvReader reader;
    private final String address;
    private final String mount;
    private final String secretsPath;

    public VaultSecretSource(KvReader reader, String address, String mount, String secretsPath) {
        this.reader = reader;
        this.address = address;
        this.mount = mount;
        this.secretsPath = secretsPath.replaceAll("^/+|/+$", "");
    }

    @Override
    public Optional<Map<String, String>> read(String provider) {
        String path = secretsPath + "/" + provider;
        try {
            Map<String, String> data = reader.apply(path);
            return data == null || data.isEmpty() ? Optional.empty() : Optional.of(Map.copyOf(data));
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("404")) {
                return Optional.empty();
            }
            throw new SecretException("cannot read " + mount + "/" + path + " from Vault at " + address + ": "
                    + e.getClass().getSimpleName() + (msg.contains("403") ? " (permission denied: check VAULT_TOKEN or the Kubernetes auth role)" : ""));
        }
    }

    @Override
    public String describe() {
        return "Vault " + address + " at " + mount + "/" + secretsPath + "/<provider>";
    }
}
