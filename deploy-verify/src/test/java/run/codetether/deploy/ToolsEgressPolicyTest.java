package run.codetether.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools NetworkPolicy follows the egress settings exactly: nothing by default; the one preset switch opens DNS
 * and https to public addresses; git hosts add the git ports; Vault adds its namespace. Whole rules are compared, so
 * an extra port or a lost exception fails.
 */
class ToolsEgressPolicyTest {

    static final String DNS = "{\"to\":[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":"
            + "\"kube-system\"}},\"podSelector\":{\"matchLabels\":{\"k8s-app\":\"kube-dns\"}}}],\"ports\":[{\"protocol\":"
            + "\"UDP\",\"port\":53},{\"protocol\":\"TCP\",\"port\":53}]}";
    static final String PUBLIC = "{\"to\":[{\"ipBlock\":{\"cidr\":\"0.0.0.0/0\",\"except\":[\"10.0.0.0/8\","
            + "\"172.16.0.0/12\",\"192.168.0.0/16\",\"169.254.0.0/16\",\"100.64.0.0/10\",\"127.0.0.0/8\",\"0.0.0.0/8\"]}}],"
            + "\"ports\":[%s]}";

    @TempDir
    Path tmp;

    JsonNode egress(String values) throws IOException {
        Path f = tmp.resolve("values.yaml");
        Files.writeString(f, values);
        Manifests m = Renderer.chart("tools-egress", f);
        return m.get("NetworkPolicy", "codetether-tools").at("/spec/egress");
    }

    static String ports(int... ports) {
        StringBuilder b = new StringBuilder();
        for (int p : ports) {
            b.append(b.isEmpty() ? "" : ",").append("{\"protocol\":\"TCP\",\"port\":").append(p).append('}');
        }
        return b.toString();
    }

    static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void nothingByDefault() throws IOException {
        assertEquals(json("[]"), egress("{}"));
    }

    @Test
    void theOneSwitchOpensDnsAndHttpsToPublicAddresses() throws IOException {
        assertEquals(json("[" + DNS + "," + PUBLIC.formatted(ports(443)) + "]"),
                egress("tools: {egress: {publicRegistries: true}}"));
    }

    @Test
    void gitHostsAddTheGitPortsAndVaultItsNamespace() throws IOException {
        String vault = "{\"to\":[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"vault\"}}}],"
                + "\"ports\":[{\"protocol\":\"TCP\",\"port\":8200}]}";
        assertEquals(json("[" + DNS + "," + PUBLIC.formatted(ports(443, 22)) + "," + vault + "]"),
                egress("tools: {vault: true, git: {allowedHosts: [github.com]}}"));
        assertEquals(json("[" + vault + "]"), egress("tools: {vault: true}"));
        assertEquals(json("[" + DNS + "," + PUBLIC.formatted(ports(443, 8443)) + "]"),
                egress("tools: {egress: {allowedHosts: [nexus.example.com:8443], extraPorts: [8443]}}"));
    }
}
