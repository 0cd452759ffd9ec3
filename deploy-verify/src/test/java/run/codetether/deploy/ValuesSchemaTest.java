package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json and the chart's own checks turn a wrong value into an install error, never a silent default. */
class ValuesSchemaTest {
    @TempDir
    Path tmp;

    /** Each row: a values file (YAML, "|" for new lines) and a fragment the error must name. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', value = {
        "gatway: {replicaCount: 1};gatway",
        "gateway: {replicas: 3};replicas",
        "agent: {replicaCount: two};replicaCount",
        "router: {mode: tpu};mode",
        "router: {gpu: {count: 0}};count",
        "kafka: {securityProtocol: SASL};securityProtocol",
        "containerSecurityContext: {privileged: true};privileged",
        "containerSecurityContext: {allowPrivilegeEscalation: true};allowPrivilegeEscalation",
        "containerSecurityContext: {capabilities: {drop: [ALL], add: [SYS_ADMIN]}};add",
        "podSecurityContext: {runAsNonRoot: false};runAsNonRoot",
        "tools: {sandbox: {seccompProfile: {type: Unconfinedd}}};type",
        "vault: {address: vault:8200};address",
        "vault: {token: s.abcdef};token",
        "router: {model: {download: {modelUrl: 'http://plain.example.com/m.onnx'}}};modelUrl",
        "agent: {autoscaling: {mode: keda, maxReplicas: 50}};workPartitions",
        "gateway: {extraConfig: {OPENAI_API_KEY: x}};looks like a secret",
        "swarm: {extraConfig: {ANTHROPIC_TOKEN: x}};looks like a secret",
        "kafka: {securityProtocol: SASL_SSL};kafka.sasl.existingSecret",
        "kafka: {strimzi: {enabled: true}, securityProtocol: SSL};PLAINTEXT",
        "kafka: {bootstrapServers: ''};kafka.bootstrapServers",
        "router: {model: {download: {enabled: true}}};modelUrl",
        "tools: {sandbox: {unmaskedProc: true}};podUserNamespace",
    })
    void badValuesFailWithAClearError(String yaml, String expected) throws IOException {
        Path values = tmp.resolve("bad.yaml");
        Files.writeString(values, yaml.replace("|", "\n"));
        String error = Renderer.chartError(values);
        assertNotNull(error, "helm template accepted " + yaml);
        assertTrue(error.contains(expected), () -> "error for " + yaml + " does not name " + expected + ": " + error);
    }

    @Test
    void testValueSetsAreAccepted() {
        assertNull(Renderer.chartError(RepoPaths.testValues("all-features.yaml")));
        assertNull(Renderer.chartError(RepoPaths.testValues("strimzi.yaml")));
    }

    /** additionalProperties: false on every object the schema describes, so no key can be misspelled silently. */
    @Test
    void everySchemaObjectRejectsUnknownKeys() throws IOException {
        JsonNode schema = Manifests.JSON.readTree(RepoPaths.chart().resolve("values.schema.json").toFile());
        List<String> open = new ArrayList<>();
        walk(schema, "#", open);
        assertEquals(List.of(), open, "schema objects without additionalProperties: false");
    }

    private static void walk(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
                open.add(path);
            }
            if (node.has("properties") && node.path("additionalProperties").asBoolean(false)) {
                open.add(path);
            }
            node.properties().forEach(e -> walk(e.getValue(), path + "/" + e.getKey(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, open);
            }
        }
    }

    /**
     * values.yaml is the documented source: every key the schema declares has a comment line right above it
     * (entries of free-form maps such as annotations and the default GPU toleration are data, not keys).
     */
    @Test
    void everyValuesKeyIsCommented() throws IOException {
        JsonNode schema = Manifests.JSON.readTree(RepoPaths.chart().resolve("values.schema.json").toFile());
        List<String> lines = Files.readAllLines(RepoPaths.chart().resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        java.util.Deque<Object[]> stack = new java.util.ArrayDeque<>(); // {indent, schema node of that key}
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("- ")
                    || !trimmed.matches("^[A-Za-z0-9_.\\-/\"]+:.*")) {
                continue;
            }
            int indent = line.length() - trimmed.length();
            while (!stack.isEmpty() && (int) stack.peek()[0] >= indent) {
                stack.pop();
            }
            JsonNode parent = stack.isEmpty() ? schema : (JsonNode) stack.peek()[1];
            String key = trimmed.substring(0, trimmed.indexOf(':'));
            JsonNode declared = resolve(schema, parent).path("properties").path(key);
            stack.push(new Object[] {indent, resolve(schema, declared)});
            if (declared.isMissingNode()) {
                continue;
            }
            checked++;
            if (!lines.get(i - 1).strip().startsWith("#")) {
                undocumented.add((i + 1) + ": " + line);
            }
        }
        assertTrue(checked > 150, "only " + checked + " documented keys found: the check is not reading values.yaml");
        assertEquals(List.of(), undocumented, "values.yaml keys without a comment above them");
    }

    private static JsonNode resolve(JsonNode schema, JsonNode node) {
        String ref = node.path("$ref").asText();
        return ref.isEmpty() ? node : schema.at(ref.substring(1));
    }
}
