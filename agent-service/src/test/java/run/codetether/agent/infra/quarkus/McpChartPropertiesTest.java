package run.codetether.agent.infra.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import run.codetether.agent.config.AgentConfig;
import run.codetether.agent.domain.mcp.McpServerPolicy;
import run.codetether.agent.domain.mcp.McpServerSpec;

/**
 * The properties file the chart renders for {@code mcp.servers} (deploy-verify McpChartTest pins its text) read the
 * way agent-service reads it (SmallRye config mapping over the service's application.properties) becomes the server
 * specs it names: the list escapes the chart writes (a comma inside an argument, a backslash) survive.
 */
class McpChartPropertiesTest {

    /** As helm/codetether/templates/agent-mcp-configmap.yaml renders McpChartTest's values. */
    static final String CHART = """
            config_ordinal=275
            codetether.agent.mcp.servers.github.tenants=acme
            codetether.agent.mcp.servers.github.url=https://api.githubcopilot.com/mcp/
            codetether.agent.mcp.servers.github.headers.X-MCP-Toolsets=repos,issues
            codetether.agent.mcp.servers.github.secret-headers=Authorization
            codetether.agent.mcp.servers.files.command=npx
            codetether.agent.mcp.servers.files.args=-y,@modelcontextprotocol/server-filesystem,a\\\\,b,C:\\\\\\\\work
            codetether.agent.mcp.servers.files.env.LOG_LEVEL=info
            codetether.agent.mcp.servers.files.secret-env=API_TOKEN
            codetether.agent.mcp.servers.files.allowed-hosts=registry.npmjs.org
            codetether.agent.mcp.servers.files.secret=shared-files
            codetether.agent.mcp.task-servers.tenants=*
            codetether.agent.mcp.task-servers.allowed-hosts=*.example.com
            """;

    @Test
    void theChartsServersBecomeTheAgentsServerSpecs() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(CHART));
        Map<String, String> chart = new HashMap<>();
        p.forEach((k, v) -> chart.put((String) k, (String) v));
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(chart, "mcp.properties", 275),
                        new PropertiesConfigSource(getClass().getResource("/application.properties"), 250))
                .withMapping(AgentConfig.class).withValidateUnknown(false).build();
        McpServerPolicy policy = McpPolicies.from(config.getConfigMapping(AgentConfig.class).mcp());

        Map<String, McpServerPolicy.TenantServer> byName = new HashMap<>();
        policy.configured().forEach(t -> byName.put(t.spec().name(), t));
        McpServerSpec files = byName.get("files").spec();
        assertEquals(List.of("npx", "-y", "@modelcontextprotocol/server-filesystem", "a,b", "C:\\work"), files.argv());
        assertEquals(Map.of("LOG_LEVEL", "info"), files.env());
        assertEquals(List.of("API_TOKEN"), files.secretEnv());
        assertEquals(List.of("registry.npmjs.org"), files.allowedHosts());
        assertEquals("shared-files", files.secret());
        McpServerSpec github = byName.get("github").spec();
        assertEquals("https://api.githubcopilot.com/mcp/", github.url());
        assertEquals(Map.of("X-MCP-Toolsets", "repos,issues"), github.headers());
        assertEquals(List.of("Authorization"), github.secretHeaders());
        assertEquals(Set.of("acme"), byName.get("github").tenants());
    }
}
