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

    void put(String provider, String apiKey) {
        file.put(SecretName.provider(provider), Map.of("api_key", apiKey));
    }

    boolean remove(String provider) {
        return file.remove(SecretName.provider(provider));
    }

    List<String> providers() {
        return file.keys(SecretName.PROVIDERS);
    }
}
