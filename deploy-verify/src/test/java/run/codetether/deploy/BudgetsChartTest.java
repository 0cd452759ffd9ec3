package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenants' budgets in the chart (values {@code budgets}, docs/providers.md "Budgets"): written once, as one
 * properties file under the names both services read ({@code codetether.agent.budgets.*}), which agent-service AND
 * swarm-service mount and load; no other service gets it; a changed budget rolls both.
 */
class BudgetsChartTest {
    static final String FILE = "/etc/codetether/budgets/budgets.properties";

    @TempDir
    Path tmp;

    Manifests render(String yaml) throws IOException {
        return ChartProperties.render(tmp, "budgets", yaml);
    }

    static Map<String, String> properties(Manifests m) throws IOException {
        return ChartProperties.of(m, "codetether-budgets", "budgets.properties");
    }

    @Test
    void theBudgetsAreRenderedOnceAndLoadedByTheAgentAndTheSwarmCoordinator() throws IOException {
        Manifests m = render("""
                budgets:
                  dailyUsd: 20
                  tenants: {acme: 25, team-b: 5.5, default: 0}
                  publishInterval: 250ms
                  retentionDays: 7
                """);
        assertEquals(new TreeMap<>(Map.of(
                "config_ordinal", "275",
                "codetether.agent.budgets.daily-usd", "20",
                "codetether.agent.budgets.tenants.acme", "25",
                "codetether.agent.budgets.tenants.team-b", "5.5",
                "codetether.agent.budgets.tenants.default", "0",
                "codetether.agent.budgets.shared", "true",
                "codetether.agent.budgets.publish-interval", "250ms",
                "codetether.agent.budgets.catch-up-timeout", "30s",
                "codetether.agent.budgets.retention-days", "7")), properties(m));
        for (String key : new String[] {"agent", "swarm"}) {
            ObjectNode d = m.deployment(key);
            assertEquals(FILE, m.get("ConfigMap", "codetether-" + key).at("/data/QUARKUS_CONFIG_LOCATIONS").asText(),
                    key + " loads the budgets file");
            JsonNode mount = find(d.at("/spec/template/spec/containers/0/volumeMounts"), "budgets");
            assertNotNull(mount, key + " mounts the budgets");
            assertEquals("/etc/codetether/budgets", mount.path("mountPath").asText());
            assertTrue(mount.path("readOnly").asBoolean());
            assertEquals("codetether-budgets", find(d.at("/spec/template/spec/volumes"), "budgets")
                    .at("/configMap/name").asText(), key + ": the one shared ConfigMap");
        }
        for (String key : new String[] {"gateway", "router", "tools"}) {
            assertTrue(m.get("ConfigMap", "codetether-" + key).at("/data/QUARKUS_CONFIG_LOCATIONS").isMissingNode(), key);
            assertNull(find(m.deployment(key).at("/spec/template/spec/volumes"), "budgets"), key);
        }
    }

    @Test
    void byDefaultNoTenantHasABudgetAndAChangedBudgetRollsBothServices() throws IOException {
        Manifests defaults = Sources.chartDefault();
        Map<String, String> p = properties(defaults);
        assertTrue(p.keySet().stream().noneMatch(k -> k.contains("daily-usd") || k.contains(".tenants.")), p.toString());
        assertEquals("true", p.get("codetether.agent.budgets.shared"));
        Manifests raised = render("budgets: {tenants: {acme: 30}}\n");
        for (String key : new String[] {"agent", "swarm"}) {
            String before = checksum(defaults.deployment(key));
            assertEquals(64, before.length(), key + " has a budgets checksum");
            assertNotEquals(before, checksum(raised.deployment(key)), key + " rolls when a budget changes");
        }
    }

    @Test
    void aTenantNameThatTheFileCannotCarryOrANegativeBudgetIsRefused() throws IOException {
        Path bad = tmp.resolve("bad-name.yaml");
        Files.writeString(bad, "budgets: {tenants: {\"acme corp\": 5}}\n");
        String error = Renderer.chartError(bad);
        assertNotNull(error, "a space cannot be in a properties key");
        Path negative = tmp.resolve("negative.yaml");
        Files.writeString(negative, "budgets: {dailyUsd: -1}\n");
        assertNotNull(Renderer.chartError(negative), "a budget is >= 0");
    }

    static String checksum(ObjectNode deployment) {
        return deployment.at("/spec/template/metadata/annotations/checksum~1budgets").asText();
    }

    static JsonNode find(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (name.equals(n.path("name").asText())) {
                return n;
            }
        }
        return null;
    }
}
