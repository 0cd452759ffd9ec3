package run.codetether.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretsPath;

/**
 * The local provider-key store used when no Vault is configured (the local stack): the platform's secrets file
 * ({@link run.codetether.platform.secrets.SecretsFile}: {@code {"providers": {"<name>": {"api_key": "..."}}}}, mode
 * 0600 in a 0700 folder, written atomically) at the platform's path rule, so the services read what this writes.
 */
final class SecretsFile {
    private final run.codetether.platform.secrets.SecretsFile file;

    SecretsFile(Path file) {
        this.file = new run.codetether.platform.secrets.SecretsFile(file);
    }

    /** {@code CODETETHER_SECRETS_FILE}, else {@code $XDG_CONFIG_HOME/codetether/secrets.json}, else ~/.config/... */
    static Path defaultPath() {
        return SecretsPath.resolve();
    }

    Path path() {
        return file.path();
    }

    /** @param name a provider name, or {@code namespace:key} such as {@code git:github.com} */
    void put(String name, String apiKey) {
        file.put(SecretName.parse(name), Map.of("api_key", apiKey));
    }

    boolean remove(String name) {
        return file.remove(SecretName.parse(name));
    }

    List<String> providers() {
        return file.keys(SecretName.PROVIDERS);
    }
}
