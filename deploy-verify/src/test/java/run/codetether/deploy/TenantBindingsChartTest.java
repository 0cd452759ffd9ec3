package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The API keys' tenants in the chart (values {@code tenantBindings}, docs/a2a.md "Tenants"): rendered as the
 * gateway's tenant bindings file, which only the gateway mounts and names in
 * {@code CODETETHER_GATEWAY_AUTH_TENANTS_FILE}; the gateway re-reads it, so a change must NOT roll the pod.
 */
class TenantBindingsChartTest {
    static final String FILE = "/etc/codetether/tenants/tenants.properties";

    @TempDir
    Path tmp;

    Manifests render(String yaml) throws IOException {
        return ChartProperties.render(tmp, "tenants", yaml);
    }

    static Map<String, String> properties(Manifests m) throws IOException {
        return ChartProperties.of(m, "codetether-tenant-bindings", "tenants.properties");
    }

    @Test
    void theBindingsAreTheGatewaysReloadedFileAndAChangeRollsNoPod() throws IOException {
        Manifests m = render("""
                tenantBindings:
                  tenants: {ci-bot: [acme], ide.user@corp: [acme, globex]}
                  adminClients: [ops, audit]
                """);
        assertEquals(new TreeMap<>(Map.of(
                "tenants.ci-bot", "acme",
                "tenants.ide.user@corp", "acme,globex",
                "admin-clients", "ops,audit")), properties(m));
        ObjectNode gateway = m.deployment("gateway");
        assertEquals(FILE, m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_AUTH_TENANTS_FILE")
                .asText(), "the gateway reads the file");
        JsonNode mount = BudgetsChartTest.find(gateway.at("/spec/template/spec/containers/0/volumeMounts"),
                "tenant-bindings");
        assertNotNull(mount, "the gateway mounts the bindings");
        assertEquals("/etc/codetether/tenants", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        assertEquals("codetether-tenant-bindings", BudgetsChartTest.find(gateway.at("/spec/template/spec/volumes"),
                "tenant-bindings").at("/configMap/name").asText());
        for (String key : new String[] {"agent", "swarm", "router", "tools"}) {
            assertNull(BudgetsChartTest.find(m.deployment(key).at("/spec/template/spec/volumes"), "tenant-bindings"),
                    key);
            assertTrue(m.get("ConfigMap", "codetether-" + key).at("/data/CODETETHER_GATEWAY_AUTH_TENANTS_FILE")
                    .isMissingNode(), key);
        }
        Manifests defaults = Sources.chartDefault();
        assertEquals(Map.of(), properties(defaults), "no binding by default: an empty file");
        assertEquals(defaults.deployment("gateway").at("/spec/template/metadata/annotations").toString(),
                gateway.at("/spec/template/metadata/annotations").toString(),
                "a binding change rolls no gateway pod: the gateway re-reads the file");
    }

    @Test
    void aClientOrTenantTheFileCannotCarryIsRefused() throws IOException {
        Path spaced = tmp.resolve("spaced.yaml");
        Files.writeString(spaced, "tenantBindings: {tenants: {\"ci bot\": [acme]}, adminClients: []}\n");
        assertNotNull(Renderer.chartError(spaced), "a space cannot be in a properties key");
        Path empty = tmp.resolve("empty.yaml");
        Files.writeString(empty, "tenantBindings: {tenants: {ci-bot: []}, adminClients: []}\n");
        assertNotNull(Renderer.chartError(empty), "a client bound to no tenant");
        Path badTenant = tmp.resolve("bad-tenant.yaml");
        Files.writeString(badTenant, "tenantBindings: {tenants: {ci-bot: [\"acme,globex\"]}, adminClients: []}\n");
        assertNotNull(Renderer.chartError(badTenant), "a comma inside a tenant name");
    }
}
