package run.codetether.tools.infra.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The local secrets file of the local stack (written by {@code codetether auth add}), read through this one small
 * adapter so the path rule can move to the shared {@code platform} library without touching its callers. Path rule:
 * an explicit path, else {@code CODETETHER_SECRETS_FILE}, else {@code $XDG_CONFIG_HOME/codetether/secrets.json},
 * else {@code ~/.config/codetether/secrets.json}. Layout: {@code {"providers": {"<name>": {...}}}}; a git host's
 * entry is named {@code git:<host>}. A file readable by group or others is refused (as the CLI writes it 0600).
 */
public final class LocalSecretsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public LocalSecretsFile(Path file) {
        this.file = file;
    }

    /** The file by the path rule above ({@code explicit} first, when present and not blank). */
    public static LocalSecretsFile locate(Optional<String> explicit, Map<String, String> env, String userHome) {
        Optional<String> chosen = explicit.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(env.get("CODETETHER_SECRETS_FILE")).filter(s -> !s.isBlank()));
        if (chosen.isPresent()) {
            return new LocalSecretsFile(Path.of(chosen.get()));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".config");
        return new LocalSecretsFile(base.resolve("codetether").resolve("secrets.json"));
    }

    public Path path() {
        return file;
    }

    /** The entry {@code providers.<name>} as a JSON object, empty when the file or the entry does not exist. */
    public Optional<JsonNode> entry(String name) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            if (Files.getPosixFilePermissions(file).stream().anyMatch(p -> p.name().startsWith("GROUP")
                    || p.name().startsWith("OTHERS"))) {
                throw new IllegalStateException("secrets file " + file + " is accessible by other users; run: chmod 600 "
                        + file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new IllegalStateException("cannot check the permissions of " + file + ": " + e.getMessage());
        }
        try {
            JsonNode node = JSON.readTree(file.toFile()).path("providers").path(name);
            return node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            // the parser's message could quote file content: say only where
            throw new IllegalStateException("secrets file " + file + " is not valid JSON");
        }
    }
}
