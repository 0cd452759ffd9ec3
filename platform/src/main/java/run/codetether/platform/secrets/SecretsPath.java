package run.codetether.platform.secrets;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * THE rule for where the local secrets file lives, shared by every service and the CLI so that what
 * {@code codetether auth add} writes is what the services read:
 * <ol>
 *   <li>an explicit path ({@code CODETETHER_SECRETS_FILE}, or a service's {@code secrets-file} key, which is fed
 *       from that variable);</li>
 *   <li>else {@code $XDG_CONFIG_HOME/codetether/secrets.json} when {@code XDG_CONFIG_HOME} is set to an absolute
 *       path (the XDG base directory spec ignores a relative one);</li>
 *   <li>else {@code ~/.config/codetether/secrets.json}.</li>
 * </ol>
 */
public final class SecretsPath {
    /** Explicit path of the secrets file. */
    public static final String FILE_ENV = "CODETETHER_SECRETS_FILE";
    public static final String XDG_ENV = "XDG_CONFIG_HOME";

    private SecretsPath() {}

    /** The path for this process: its environment and {@code user.home}. */
    public static Path resolve() {
        return resolve(Optional.empty());
    }

    /** @param configured a service's configured path, which wins when not blank */
    public static Path resolve(Optional<String> configured) {
        return resolve(configured, System.getenv(), System.getProperty("user.home"));
    }

    /** The rule itself, over a given environment and home folder. */
    public static Path resolve(Optional<String> configured, Map<String, String> env, String userHome) {
        Optional<String> explicit = configured.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(env.get(FILE_ENV)).filter(s -> !s.isBlank()));
        if (explicit.isPresent()) {
            return Path.of(explicit.get().strip());
        }
        String xdg = env.get(XDG_ENV);
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg.strip()).isAbsolute() ? Path.of(xdg.strip())
                : Path.of(userHome, ".config");
        return base.resolve("codetether").resolve("secrets.json");
    }
}
