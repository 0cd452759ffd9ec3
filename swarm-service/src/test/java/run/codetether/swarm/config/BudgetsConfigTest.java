package run.codetether.swarm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.codetether.platform.budget.BudgetSettings;

/**
 * swarm-service maps the shared {@link BudgetSettings} under the agent's names: the settings, their defaults and the
 * environment variables the Helm chart renders (the same ones agent-service reads) reach the mapping.
 */
class BudgetsConfigTest {

    static BudgetsConfig map(Map<String, String> env, Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(BudgetsConfig.class)
                .build();
        return config.getConfigMapping(BudgetsConfig.class);
    }

    @Test
    void theDefaultsAreTheSharedDefinitions() {
        BudgetsConfig c = map(Map.of(), Map.of());
        assertEquals(Optional.empty(), c.dailyUsd());
        assertEquals(Map.of(), c.tenants());
        assertTrue(c.shared());
        assertEquals(Duration.ofSeconds(1), c.publishInterval());
        assertEquals(Duration.ofSeconds(30), c.catchUpTimeout());
        assertEquals(35, c.retentionDays());
    }

    @Test
    void theChartsEnvironmentAndPropertiesSetTheSameBudgets() {
        BudgetsConfig c = map(Map.of(
                "CODETETHER_AGENT_BUDGETS_DAILY_USD", "5",
                "CODETETHER_AGENT_BUDGETS_TENANTS_ACME", "2.5",
                "CODETETHER_AGENT_BUDGETS_TENANTS_TEAM_C", "3",
                "CODETETHER_AGENT_BUDGETS_PUBLISH_INTERVAL", "250ms"),
                Map.of("codetether.agent.budgets.tenants.team-b", "1", "codetether.agent.budgets.retention-days", "7"));
        assertEquals(Optional.of(5.0), c.dailyUsd());
        // an environment variable cannot spell a tenant with a dash: TEAM_C reads as "team.c", so the Helm chart
        // writes the budgets as a properties file (docs/providers.md "Budgets"), where team-b stays team-b
        assertEquals(Map.of("acme", 2.5, "team-b", 1.0, "team.c", 3.0), c.tenants());
        assertEquals(Duration.ofMillis(250), c.publishInterval());
        assertEquals(7, c.retentionDays());
    }
}
