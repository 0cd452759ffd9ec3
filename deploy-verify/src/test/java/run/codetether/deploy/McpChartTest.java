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
 * The agents' MCP servers in the chart (values {@code mcp}, docs/mcp.md): rendered as the properties agent-service
 * reads ({@code codetether.agent.mcp.*}) into a ConfigMap only agent-service mounts and loads; secrets only by name
 * (their values in Vault); nothing rendered by default; a secret-looking plain env or header is refused.
 */
class McpChartTest {
    static final String FILE = "/etc/codetether/mcp/mcp.properties";

    @TempDir
    Path tmp;

    @Test
    void stdioAndHttpServersAreRenderedIntoTheAgentsConfigAndOnlyTheAgentLoadsThem() throws IOException {
        Manifests m = ChartProperties.render(tmp, "mcp", """
                mcp:
                  servers:
                    github:
                      url: https://api.githubcopilot.com/mcp/
                      headers: {X-MCP-Toolsets: "repos,issues"}
                      secretHeaders: [Authorization]
                      tenants: [acme]
                    files:
                      command: npx
                      args: ["-y", "@modelcontextprotocol/server-filesystem", "a,b", 'C:\\work']
                      env: {LOG_LEVEL: info}
                      secretEnv: [API_TOKEN]
                      allowedHosts: [registry.npmjs.org]
                      secret: shared-files
                      enabled: false
                  taskServers: {tenants: ["*"], allowedHosts: ["*.example.com"]}
                """);
        Map<String, String> p = ChartProperties.of(m, "codetether-agent-mcp", "mcp.properties");
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("config_ordinal", "275"),
                Map.entry("codetether.agent.mcp.servers.github.url", "https://api.githubcopilot.com/mcp/"),
                Map.entry("codetether.agent.mcp.servers.github.headers.X-MCP-Toolsets", "repos,issues"),
                Map.entry("codetether.agent.mcp.servers.github.secret-headers", "Authorization"),
                Map.entry("codetether.agent.mcp.servers.github.tenants", "acme"),
                Map.entry("codetether.agent.mcp.servers.files.command", "npx"),
                // the list converter's escapes survive the properties format: a\,b is one item, C:\\work one backslash
                Map.entry("codetether.agent.mcp.servers.files.args",
                        "-y,@modelcontextprotocol/server-filesystem,a\\,b,C:\\\\work"),
                Map.entry("codetether.agent.mcp.servers.files.env.LOG_LEVEL", "info"),
                Map.entry("codetether.agent.mcp.servers.files.secret-env", "API_TOKEN"),
                Map.entry("codetether.agent.mcp.servers.files.allowed-hosts", "registry.npmjs.org"),
                Map.entry("codetether.agent.mcp.servers.files.secret", "shared-files"),
                Map.entry("codetether.agent.mcp.servers.files.enabled", "false"),
                Map.entry("codetether.agent.mcp.task-servers.tenants", "*"),
                Map.entry("codetether.agent.mcp.task-servers.allowed-hosts", "*.example.com"))), p);

        ObjectNode agent = m.deployment("agent");
        assertEquals("/etc/codetether/budgets/budgets.properties," + FILE,
                m.get("ConfigMap", "codetether-agent").at("/data/QUARKUS_CONFIG_LOCATIONS").asText());
        JsonNode mount = BudgetsChartTest.find(agent.at("/spec/template/spec/containers/0/volumeMounts"), "mcp");
        assertNotNull(mount, "the agent mounts its MCP servers");
        assertEquals("/etc/codetether/mcp", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        assertEquals("codetether-agent-mcp", BudgetsChartTest.find(agent.at("/spec/template/spec/volumes"), "mcp")
                .at("/configMap/name").asText());
        assertEquals(64, agent.at("/spec/template/metadata/annotations/checksum~1mcp").asText().length(),
                "a changed server rolls the agents");
        for (String key : new String[] {"gateway", "router", "swarm", "tools"}) {
            assertNull(BudgetsChartTest.find(m.deployment(key).at("/spec/template/spec/volumes"), "mcp"), key);
        }
        String all = m.get("ConfigMap", "codetether-agent-mcp").toString();
        assertTrue(!all.contains("Bearer"), "no secret value anywhere: " + all);
    }

    @Test
    void byDefaultNothingIsRendered() throws IOException {
        Manifests defaults = Sources.chartDefault();
        assertEquals("/etc/codetether/budgets/budgets.properties",
                defaults.get("ConfigMap", "codetether-agent").at("/data/QUARKUS_CONFIG_LOCATIONS").asText());
        assertNull(BudgetsChartTest.find(defaults.deployment("agent").at("/spec/template/spec/volumes"), "mcp"));
        assertTrue(defaults.deployment("agent").at("/spec/template/metadata/annotations/checksum~1mcp").isMissingNode());
    }

    @Test
    void aSecretLookingPlainHeaderOrEnvAndAServerWithBothTransportsAreRefused() throws IOException {
        Path header = tmp.resolve("header.yaml");
        Files.writeString(header, "mcp: {servers: {gh: {url: \"https://h.example/mcp\", headers: {Authorization: "
                + "\"Bearer x\"}}}}\n");
        String e1 = Renderer.chartError(header);
        assertNotNull(e1, "the chart refuses a secret-looking plain header");
        assertTrue(e1.contains("mcp.servers.gh.headers.Authorization looks like a secret")
                && e1.contains("secret/codetether/mcp/gh"), e1);
        Path env = tmp.resolve("env.yaml");
        Files.writeString(env, "mcp: {servers: {f: {command: x, env: {GITHUB_TOKEN: t}}}}\n");
        String e2 = Renderer.chartError(env);
        assertNotNull(e2, "the chart refuses a secret-looking plain env");
        assertTrue(e2.contains("mcp.servers.f.env.GITHUB_TOKEN looks like a secret"), e2);
        Path both = tmp.resolve("both.yaml");
        Files.writeString(both, "mcp: {servers: {b: {command: x, url: \"https://h.example/mcp\"}}}\n");
        String e3 = Renderer.chartError(both);
        assertNotNull(e3, "exactly one of command and url");
        assertTrue(e3.contains("/mcp/servers/b") && e3.contains("oneOf"), e3); // the schema: command or url
        Path badName = tmp.resolve("name.yaml");
        Files.writeString(badName, "mcp: {servers: {\"Bad Name\": {command: x}}}\n");
        String e4 = Renderer.chartError(badName);
        assertNotNull(e4, "a server name the agent refuses is refused here");
        assertTrue(e4.contains("Bad Name"), e4);
    }
}
