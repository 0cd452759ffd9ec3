package run.codetether.gateway.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code codetether.gateway.accept.one-record}: true unless set, and the Helm chart's environment variable turns it
 * off for a roll from a release that wrote an accept as two records (docs/operations.md "Upgrades").
 */
class AcceptConfigTest {

    private static GatewayConfig.Accept accept(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(GatewayConfig.class)
                .build().getConfigMapping(GatewayConfig.class).accept();
    }

    @Test
    void oneRecordUnlessTurnedOffByItsEnvironmentVariable() {
        assertTrue(accept(Map.of()).oneRecord());
        assertFalse(accept(Map.of("CODETETHER_GATEWAY_ACCEPT_ONE_RECORD", "false")).oneRecord());
    }
}
