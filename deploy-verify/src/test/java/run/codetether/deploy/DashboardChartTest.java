package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The operator dashboard in the chart: the gateway learns the in-cluster URLs of the services whose health and
 * metrics it shows (tools-service only with {@code gateway.dashboard.watchTools}); tools-service's NetworkPolicy lets
 * the gateway reach its gRPC port, where it stages workspace archives.
 */
class DashboardChartTest {

    @Test
    void byDefaultTheGatewayWatchesAgentRouterAndSwarmButNotTheSandbox() {
        Manifests m = Sources.chartDefault();
        JsonNode data = m.get("ConfigMap", "codetether-gateway").path("data");
        assertEquals("http://codetether-agent.codetether.svc:8081",
                data.path("CODETETHER_GATEWAY_DASHBOARD_SERVICES_AGENT_URL").asText());
        assertEquals("http://codetether-router.codetether.svc:8082",
                data.path("CODETETHER_GATEWAY_DASHBOARD_SERVICES_ROUTER_URL").asText());
        assertEquals("http://codetether-swarm.codetether.svc:8083",
                data.path("CODETETHER_GATEWAY_DASHBOARD_SERVICES_SWARM_URL").asText());
        assertTrue(data.path("CODETETHER_GATEWAY_DASHBOARD_SERVICES_TOOLS_URL").isMissingNode(),
                "the dashboard lists tools-service only with watchTools");
        assertTrue(data.path("CODETETHER_GATEWAY_DASHBOARD_OIDC_CLIENT_ID").isMissingNode());
        // the gateway stages workspace archives at tools-service (docs/workspaces.md): its gRPC port, nothing else
        assertEquals("codetether-tools.codetether.svc", data.path("CODETETHER_GATEWAY_TOOLS_HOST").asText());
        assertEquals("9084", data.path("CODETETHER_GATEWAY_TOOLS_PORT").asText());
        JsonNode ingress = m.get("NetworkPolicy", "codetether-tools").at("/spec/ingress");
        int gatewayRules = 0;
        for (JsonNode rule : ingress) {
            if (rule.toString().contains("\"gateway\"")) {
                gatewayRules++;
                assertEquals(9084, rule.at("/ports/0/port").asInt());
                assertEquals(1, rule.path("ports").size(), "not the HTTP port while the dashboard does not watch tools");
            }
        }
        assertEquals(1, gatewayRules, "one ingress rule lets the gateway in: " + ingress);
    }

    @Test
    void watchingToolsOpensItsPortToTheGatewayOnly() {
        Manifests m = Sources.chartAllFeatures();
        JsonNode data = m.get("ConfigMap", "codetether-gateway").path("data");
        assertEquals("http://codetether-tools.codetether.svc:8084",
                data.path("CODETETHER_GATEWAY_DASHBOARD_SERVICES_TOOLS_URL").asText());
        assertEquals("codetether-dashboard", data.path("CODETETHER_GATEWAY_DASHBOARD_OIDC_CLIENT_ID").asText());
        boolean gatewayRule = false;
        for (JsonNode rule : m.get("NetworkPolicy", "codetether-tools").at("/spec/ingress")) {
            JsonNode labels = rule.at("/from/0/podSelector/matchLabels");
            if ("gateway".equals(labels.path("app.kubernetes.io/component").asText())) {
                gatewayRule = true;
                assertEquals(9084, rule.at("/ports/0/port").asInt(), "gRPC: archive staging");
                assertEquals(8084, rule.at("/ports/1/port").asInt(), "HTTP: readiness and metrics");
                assertEquals(2, rule.path("ports").size());
            }
        }
        assertTrue(gatewayRule, "an ingress rule from the gateway pods");
        // watching tools adds ingress only: no egress rule of tools-service may lead to the gateway pods
        for (JsonNode rule : m.get("NetworkPolicy", "codetether-tools").at("/spec/egress")) {
            for (JsonNode to : rule.path("to")) {
                assertTrue(to.path("podSelector").path("matchLabels").path("app.kubernetes.io/component").isMissingNode(),
                        "no egress rule towards a component's pods: " + to);
            }
        }
    }
}
