package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule for the secrets file, as the CLI and every service apply it. */
class SecretsPathTest {
    static final String HOME = "/home/u";

    static Path resolve(Optional<String> configured, Map<String, String> env) {
        return SecretsPath.resolve(configured, env, HOME);
    }

    @Test
    void defaultIsUnderTheHomeConfigFolder() {
        assertEquals(Path.of("/home/u/.config/codetether/secrets.json"), resolve(Optional.empty(), Map.of()));
    }

    @Test
    void xdgConfigHomeMovesIt() {
        assertEquals(Path.of("/cfg/codetether/secrets.json"),
                resolve(Optional.empty(), Map.of("XDG_CONFIG_HOME", "/cfg")));
    }

    @Test
    void aRelativeOrBlankXdgConfigHomeIsIgnoredAsTheSpecSays() {
        assertEquals(Path.of("/home/u/.config/codetether/secrets.json"),
                resolve(Optional.empty(), Map.of("XDG_CONFIG_HOME", "relative/cfg")));
        assertEquals(Path.of("/home/u/.config/codetether/secrets.json"),
                resolve(Optional.empty(), Map.of("XDG_CONFIG_HOME", "  ")));
    }

    @Test
    void theExplicitFileWinsOverXdg() {
        assertEquals(Path.of("/run/s.json"), resolve(Optional.empty(),
                Map.of("CODETETHER_SECRETS_FILE", "/run/s.json", "XDG_CONFIG_HOME", "/cfg")));
    }

    @Test
    void aServicesConfiguredPathWinsAndABlankOneFallsThrough() {
        assertEquals(Path.of("/etc/ct/s.json"), resolve(Optional.of("/etc/ct/s.json"),
                Map.of("CODETETHER_SECRETS_FILE", "/run/s.json")));
        assertEquals(Path.of("/cfg/codetether/secrets.json"), resolve(Optional.of(""),
                Map.of("XDG_CONFIG_HOME", "/cfg")), "an unset ${CODETETHER_SECRETS_FILE:} is blank, not a path");
    }
}
