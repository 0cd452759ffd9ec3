package run.codetether.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up reader and the full TOML parser must agree; files beyond the flat subset go to the full parser. */
class CliConfigTest {
    @TempDir
    Path dir;

    private CliConfig load(String toml) throws Exception {
        Path f = Files.writeString(dir.resolve("config.toml"), toml);
        return CliConfig.load(f);
    }

    @Test
    void theOriginalsFileIsRead() throws Exception {
        CliConfig c = load("""
                # mine
                [default]
                provider = "anthropic"
                model = 'claude-sonnet-4-20250514'   # pinned

                [a2a]
                enabled = true
                server_url = "http://gw.invalid:8080/"

                [ui]
                theme = "solarized-dark"
                hot_reload = false
                """);
        assertEquals(new CliConfig("anthropic", "claude-sonnet-4-20250514", "solarized-dark", false, "http://gw.invalid:8080/", null), c);
    }

    @Test
    void filesBeyondTheFlatSubsetAreParsedFully() throws Exception {
        assertTrue(FlatToml.parse("ui = { theme = \"dark\" }\n").isEmpty());
        assertEquals("dark", load("ui = { theme = \"dark\" }\ndefault_model = \"m\"\n").theme());
        assertEquals("light", load("[ui]\ntheme = \"light\"\nextra = [1, 2]\n").theme());
        assertEquals("m", load("default_provider = \"p\"\ndefault_model = \"m\"\n").model());
    }

    @Test
    void aBrokenFileKeepsTheDefaultsAndSaysWhy() throws Exception {
        Files.writeString(dir.resolve("bad.toml"), "[ui\ntheme = \n");
        CliConfig.Loaded loaded = CliConfig.loadOrDefaults(dir.resolve("bad.toml"));
        assertEquals(CliConfig.DEFAULTS, loaded.config());
        assertNotNull(loaded.problem());
        assertFalse(CliConfig.loadOrDefaults(dir.resolve("absent.toml")).problem() != null);
    }
}
