package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's edge: an Ingress that streams SSE, a gRPC Ingress when asked for, an HPA by default, and the public
 * URLs in the agent card.
 */
class GatewayEdgeTest {
    @TempDir
    Path tmp;

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
    void theGrpcIngressRoutesTheGatewaysGrpcServicesToItsGrpcPortAndNamesItsHostInTheAgentCard() {
        Manifests m = Sources.chartAllFeatures();
        ObjectNode grpc = m.get("Ingress", "codetether-gateway-grpc");
        assertEquals("GRPC", grpc.at("/metadata/annotations/nginx.ingress.kubernetes.io~1backend-protocol").asText(),
                "the controller speaks gRPC (HTTP/2) to the backend");
        assertTrue(grpc.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asInt() >= 3600,
                "streams and workers' connections stay open");
        assertEquals("nginx", grpc.at("/spec/ingressClassName").asText());
        assertEquals("grpc.a2a.example.com", grpc.at("/spec/rules/0/host").asText());
        assertEquals("grpc.a2a.example.com", grpc.at("/spec/tls/0/hosts/0").asText());
        assertEquals("grpc-example-tls", grpc.at("/spec/tls/0/secretName").asText());
        List<String> paths = new ArrayList<>();
        for (JsonNode p : grpc.at("/spec/rules/0/http/paths")) {
            paths.add(p.at("/path").asText());
            assertEquals("codetether-gateway", p.at("/backend/service/name").asText());
            assertEquals("grpc", p.at("/backend/service/port/name").asText(), "the gateway's own gRPC server");
        }
        assertEquals(List.of("/lf.a2a.v1.A2AService/", "/codetether.worker.v1.WorkerHub/"), paths);
        ObjectNode service = m.get("Service", "codetether-gateway");
        boolean grpcPort = false;
        for (JsonNode port : service.at("/spec/ports")) {
            grpcPort |= port.at("/name").asText().equals("grpc") && port.at("/port").asInt() == 9080;
        }
        assertTrue(grpcPort, "the Service has the port the Ingress names: " + service);
        assertEquals("https://grpc.a2a.example.com",
                m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_GRPC_PUBLIC_URL").asText());
        assertEquals("https://a2a.example.com",
                m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_PUBLIC_URL").asText(),
                "the HTTP URL stays the HTTP Ingress's");
    }

    @Test
    void onTheHttpHostWithoutTlsTheGrpcPathsSitBesideTheHttpOnesAndAnExplicitUrlWins() throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, "gateway: {ingress: {enabled: true, host: a2a.internal, grpc: {enabled: true}}}\n");
        Manifests m = Renderer.chart("grpc-ingress-same-host", values);
        ObjectNode grpc = m.get("Ingress", "codetether-gateway-grpc");
        assertEquals("a2a.internal", grpc.at("/spec/rules/0/host").asText(), "the HTTP Ingress's host");
        assertTrue(grpc.at("/spec/tls").isMissingNode(), "no TLS Secret, no tls section");
        assertEquals("/", m.get("Ingress", "codetether-gateway").at("/spec/rules/0/http/paths/0/path").asText());
        assertEquals("http://a2a.internal",
                m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_GRPC_PUBLIC_URL").asText());

        Files.writeString(values, "gateway: {grpcPublicUrl: 'https://rpc.example.com:8443', ingress: {enabled: true,"
                + " host: a2a.internal, grpc: {enabled: true}}}\n");
        assertEquals("https://rpc.example.com:8443", Renderer.chart("grpc-ingress-url", values)
                .get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_GRPC_PUBLIC_URL").asText());
    }

    @Test
    void defaultGatewayIsAutoscaledAndAdvertisesItsServiceUrl() {
        Manifests m = Sources.chartDefault();
        ObjectNode hpa = m.get("HorizontalPodAutoscaler", "codetether-gateway");
        assertEquals(2, hpa.at("/spec/minReplicas").asInt(), "two gateways survive a node loss");
        assertEquals("cpu", hpa.at("/spec/metrics/0/resource/name").asText());
        assertTrue(m.ofKind("Ingress").isEmpty(), "no Ingress unless asked for");
        assertTrue(m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_GRPC_PUBLIC_URL")
                .isMissingNode(), "the gateway derives its gRPC URL from the public URL");
        assertEquals("http://codetether-gateway.codetether.svc:8080",
                m.get("ConfigMap", "codetether-gateway").at("/data/CODETETHER_GATEWAY_PUBLIC_URL").asText());
    }
}
