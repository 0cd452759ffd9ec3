package run.codetether.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.EnvConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Helm chart configures the watched services through environment variables: their map keys must survive. */
class DashboardConfigTest {

    @Test
    void servicesAreReadFromEnvironmentVariables() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "CODETETHER_GATEWAY_DASHBOARD_SERVICES_AGENT_URL", "http://agent-service:8081",
                        "CODETETHER_GATEWAY_DASHBOARD_SERVICES_SWARM_URL", "http://swarm-service:8083",
                        "CODETETHER_GATEWAY_DASHBOARD_OIDC_CLIENT_ID", "dashboard"), 300))
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(DashboardConfig.class)
                .build();
        DashboardConfig c = config.getConfigMapping(DashboardConfig.class);
        assertEquals("http://agent-service:8081", c.services().get("agent").url());
        assertEquals("http://swarm-service:8083", c.services().get("swarm").url());
        assertEquals(2, c.services().size());
        assertEquals("dashboard", c.oidc().clientId().orElseThrow());
        assertEquals(Duration.ofMillis(250), c.flushInterval());
        assertTrue(c.enabled());
    }
}
