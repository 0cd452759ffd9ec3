package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Legal but less common value combinations still render objects the API server would accept. */
class ChartVariationsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "fixed replicas, no PDBs;gateway: {autoscaling: {enabled: false}, pdb: {enabled: false}}|agent: {autoscaling: {mode: none}}|swarm: {autoscaling: {mode: hpa}}",
        "existing claims;tools: {workspace: {persistence: {existingClaim: ws}}}|router: {model: {persistence: {existingClaim: models}}, toolRouter: {enabled: true}}",
        "ephemeral workspace;tools: {workspace: {persistence: {enabled: false}}, networkPolicy: {enabled: false}}",
        "runtime default sandbox;tools: {sandbox: {seccompProfile: {type: RuntimeDefault}, appArmorProfile: {type: RuntimeDefault}}}",
        "no vault readers, plain SASL;gateway: {vault: false}|agent: {vault: false}|swarm: {vault: false}|kafka: {securityProtocol: SASL_PLAINTEXT, sasl: {mechanism: PLAIN, existingSecret: k}}",
        "gpu without runtime class;router: {mode: gpu, gpu: {count: 2, nodeSelector: {}, tolerations: []}}",
        "names;fullnameOverride: ct|serviceAccount: {create: false}|metrics: {podAnnotations: false}",
        "ephemeral task store;gateway: {store: {dir: /data/tasks, volume: {type: ephemeral, size: 5Gi, storageClass: fast-ssd}}}",
        "two-record accept during a roll;gateway: {acceptOneRecord: false}",
    })
    void rendersValidObjects(String label, String yaml) throws IOException {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, yaml.replace("|", "\n"));
        Manifests m = Renderer.chart(label, values);
        List<String> violations = new ArrayList<>();
        for (ObjectNode o : m.objects()) {
            violations.addAll(KubernetesSchema.violations(o));
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
        assertEquals(5, m.ofKind("Deployment").size());
        for (ObjectNode d : m.ofKind("Deployment")) {
            boolean scaled = m.objects().stream().anyMatch(o -> Manifests.name(d).equals(o.at("/spec/scaleTargetRef/name").asText()));
            assertEquals(!scaled, d.at("/spec/replicas").isInt(), Manifests.id(d) + ": replicas pinned exactly when not autoscaled");
        }
        if (label.startsWith("gpu")) {
            ObjectNode router = m.deployment("router");
            assertEquals("2", router.at("/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu").asText());
            assertTrue(router.at("/spec/template/spec/runtimeClassName").isMissingNode());
        }
        if (label.startsWith("names")) {
            assertTrue(m.objects().stream().allMatch(o -> Manifests.name(o).startsWith("ct-")), "fullnameOverride");
            assertTrue(m.ofKind("ServiceAccount").isEmpty(), "serviceAccount.create=false renders none");
        }
        if (label.startsWith("ephemeral task store")) {
            ObjectNode gateway = m.deployment("gateway");
            String store = gateway.at("/spec/template/spec/volumes").toString();
            assertTrue(store.contains("\"volumeClaimTemplate\"") && store.contains("\"storageClassName\":\"fast-ssd\"")
                    && store.contains("\"storage\":\"5Gi\""), "a per-pod claim of the class and size: " + store);
            assertTrue(gateway.at("/spec/template/spec/containers/0/volumeMounts").toString()
                    .contains("\"mountPath\":\"/data/tasks\""), gateway.toString());
            assertEquals("/data/tasks", m.get("ConfigMap", Manifests.name(gateway))
                    .at("/data/CODETETHER_GATEWAY_STORE_DIR").asText());
        }
        String oneRecord = m.get("ConfigMap", Manifests.name(m.deployment("gateway")))
                .at("/data/CODETETHER_GATEWAY_ACCEPT_ONE_RECORD").asText();
        assertEquals(label.startsWith("two-record accept") ? "false" : "true", oneRecord,
                "the gateway's accept shape follows gateway.acceptOneRecord");
        if (label.startsWith("no vault")) {
            assertTrue(m.ofKind("Deployment").stream().noneMatch(d -> d.toString().contains("vault-token")));
        }
    }
}
