package run.codetether.swarm.infra.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * API keys of the providers swarm-service calls itself (plan, check, answer), laid out as agent-service reads them:
 * Vault KV v2 at {@code <mount>/<secretsPath>/<provider>} field {@code api_key}, else the local secrets file
 * ({@code {"providers":{"<name>":{"api_key":"..."}}}}, mode 0600 or stricter). Each answer is cached for
 * {@code ttl}, so a rotated key is used within that time. Own code rather than agent-service's (services share
 * contracts, not implementations); the layout is the same so one Vault path serves both. Values are never logged
 * and never part of a message.
 */
public final class ProviderKeys implements Function<String, String> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads one KV v2 path (below the mount); returns null or throws an exception whose message has "404" when absent. */
    public interface KvReader extends Function<String, Map<String, String>> {}

    private record Entry(Optional<String> key, Instant at) {}

    private final KvReader vault;
    private final String vaultWhere;
    private final String secretsPath;
    private final Path file;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /**
     * @param vault null when no Vault is configured
     * @param vaultWhere the address and mount, for error messages
     */
    public ProviderKeys(KvReader vault, String vaultWhere, String secretsPath, Path file, Duration ttl, Clock clock) {
        this.vault = vault;
        this.vaultWhere = vaultWhere;
        this.secretsPath = secretsPath.replaceAll("^/+|/+$", "");
        this.file = file;
        this.ttl = ttl;
        this.clock = clock;
    }

    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".config", "codetether", "secrets.json");
    }

    /** The provider's key, or null when neither Vault nor the file has one. */
    @Override
    public String apply(String provider) {
        Entry e = cache.get(provider);
        Instant now = clock.instant();
        if (e != null && e.at().plus(ttl).isAfter(now)) {
            return e.key().orElse(null);
        }
        Optional<String> key = fromVault(provider).or(() -> fromFile(provider));
        cache.put(provider, new Entry(key, now));
        return key.orElse(null);
    }

    private Optional<String> fromVault(String provider) {
        if (vault == null) {
            return Optional.empty();
        }
        String path = secretsPath + "/" + provider;
        try {
            Map<String, String> data = vault.apply(path);
            return data == null ? Optional.empty() : nonBlank(data.get("api_key"));
        } catch (RuntimeException ex) {
            String msg = String.valueOf(ex.getMessage());
            if (msg.contains("404")) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read " + path + " from Vault " + vaultWhere + ": "
                    + ex.getClass().getSimpleName()
                    + (msg.contains("403") ? " (permission denied: check VAULT_TOKEN)" : ""));
        }
    }

    private Optional<String> fromFile(String provider) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (Files.getPosixFilePermissions(file).stream().anyMatch(p -> p.name().startsWith("GROUP")
                    || p.name().startsWith("OTHERS"))) {
                throw new IllegalStateException("secrets file " + file
                        + " is accessible by other users; run: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException ex) {
            // not a POSIX file system: nothing to check
        } catch (IOException ex) {
            throw new IllegalStateException("cannot check permissions of " + file + ": " + ex.getMessage());
        }
        try {
            JsonNode entry = JSON.readTree(file.toFile()).path("providers").path(provider).path("api_key");
            return entry.isTextual() ? nonBlank(entry.asText()) : Optional.empty();
        } catch (IOException ex) {
            throw new IllegalStateException("secrets file " + file
                    + " is not valid JSON (expected {\"providers\": {\"<name>\": {\"api_key\": \"...\"}}})");
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
