package run.codetether.agent.infra.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local stack's secret store: a JSON file outside the repository (default
 * {@code ~/.config/codetether/secrets.json}) that {@code codetether auth add <provider>} writes:
 * <pre>{"providers": {"anthropic": {"api_key": "..."}}}</pre>
 * Like ssh, it refuses a file that group or others can read (mode must be 0600 or stricter). Read on every call,
 * so an edit takes effect at once.
 */
public final class FileSecretSource implements SecretSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FileSecretSource(Path file) {
        this.file = file;
    }

    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".config", "codetether", "secrets.json");
    }

    @Override
    public Optional<Map<String, String>> read(String provider) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new SecretException("secrets file " + file + " is accessible by other users; run: chmod 600 " + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new SecretException("cannot check permissions of " + file + ": " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new SecretException("secrets file " + file + " is not valid JSON (expected {\"providers\": {\"<name>\": {\"api_key\": \"...\"}}})");
        }
        JsonNode entry = root.path("providers").path(provider);
        if (!entry.isObject()) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        entry.fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode()) {
                out.put(f.getKey(), f.getValue().asText());
            }
        });
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
