package run.codetether.bench.fullpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void theWarmupIsAutoByDefault() {
        assertEquals(new Options.Warmup.Auto(WarmupRule.DEFAULT), Options.parse(new String[0]).warmup());
        assertEquals(new Options.Warmup.Auto(WarmupRule.DEFAULT),
                Options.parse(new String[] {"--warmup", "auto"}).warmup());
    }

    @Test
    void aNumberIsAFixedWarmupInSeconds() {
        assertEquals(new Options.Warmup.Fixed(Duration.ofSeconds(90)),
                Options.parse(new String[] {"--warmup", "90"}).warmup());
    }

    @Test
    void anythingElseIsRefusedWithWhatItWants() {
        for (String bad : new String[] {"abc", "0", "-5", "1.5", "AUTO", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Options.parse(new String[] {"--warmup", bad}));
            assertEquals("--warmup wants auto or a positive whole number of seconds, got '" + bad + "'",
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parse(new String[] {"--warmup"}));
        assertTrue(e.getMessage().startsWith("--warmup needs a value"), e.getMessage());
    }

    @Test
    void theHelpSaysAutoIsTheDefault() {
        assertTrue(Options.HELP.contains("--warmup auto|SEC") && Options.HELP.contains("(default auto)"));
    }
}
