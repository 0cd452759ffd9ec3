package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The operator dashboard in the chart: the gateway learns the in-cluster URLs of the services whose health and
 * metrics it shows; tools-service is watched only when its NetworkPolicy lets the gateway in.
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
                "tools-service admits only agent-service: the dashboard must not list it as unreachable");
        assertTrue(data.path("CODETETHER_GATEWAY_DASHBOARD_OIDC_CLIENT_ID").isMissingNode());
        JsonNode ingress = m.get("NetworkPolicy", "codetether-tools").at("/spec/ingress");
        for (JsonNode rule : ingress) {
            assertTrue(!rule.toString().contains("\"gateway\""), "the gateway may not reach tools-service: " + rule);
        }
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
                assertEquals(8084, rule.at("/ports/0/port").asInt());
                assertEquals(1, rule.path("ports").size());
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
