package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The gateway's edge: an Ingress that streams SSE, an HPA by default, and the public URL in the agent card. */
class GatewayEdgeTest {

    @Test
    void ingressStreamsSseToTheGateway() {
        Manifests m = Sources.chartAllFeatures();
        ObjectNode ingress = m.get("Ingress", "codetether-gateway");
        JsonNode ann = ingress.at("/metadata/annotations");
        assertEquals("off", ann.path("nginx.ingress.kubernetes.io/proxy-buffering").asText(), "SSE must not be buffered");
        assertTrue(ann.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt() >= 3600, "long-lived streams");
        assertEquals("codetether-gateway", ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText());
        assertEquals("http", ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText());
        assertEquals("/", ingress.at("/spec/rules/0/http/paths/0/path").asText(), "/, /a2a, /.well-known and /v1 all pass");
        assertEquals("a2a.example.com", ingress.at("/spec/tls/0/hosts/0").asText());
        assertEquals("https://a2a.example.com",
                m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_PUBLIC_URL").asText());
    }

    @Test
    void defaultGatewayIsAutoscaledAndAdvertisesItsServiceUrl() {
        Manifests m = Sources.chartDefault();
        ObjectNode hpa = m.get("HorizontalPodAutoscaler", "codetether-gateway");
        assertEquals(2, hpa.at("/spec/minReplicas").asInt(), "two gateways survive a node loss");
        assertEquals("cpu", hpa.at("/spec/metrics/0/resource/name").asText());
        assertTrue(m.ofKind("Ingress").isEmpty(), "no Ingress unless asked for");
        assertEquals("http://codetether-gateway.codetether.svc:8080",
                m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_PUBLIC_URL").asText());
    }
}
