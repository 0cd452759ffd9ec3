package run.codetether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.cli.mcp.McpServeCommand;

/**
 * {@code mcp list-tools} against a loopback gateway serving {@code GET /v1/mcp/tools} (the shape docs/mcp.md gives),
 * and where {@code mcp serve} finds the gateway's MCP endpoint. The real processes: e2e {@code McpEndToEndTest}.
 */
class McpCommandsTest {
    static final String TOOLS = """
            {"tenant": "default", "listed_at": "2026-12-04T15:00:00Z", "agent": "agent-0", "servers": [
              {"name": "fixture", "transport": "http", "ok": true, "error": null, "tools": [
                {"name": "mcp__fixture__echo", "tool": "echo", "title": null, "description": "Echoes the text back.",
                 "input_schema": {"type": "object", "properties": {"text": {"type": "string"}, "times": {"type": "integer"}},
                                  "required": ["text"]}, "read_only": true},
                {"name": "mcp__fixture__count", "tool": "count", "description": "Counts.",
                 "input_schema": {"type": "object", "properties": {}}, "read_only": false}]},
              {"name": "broken", "transport": "stdio", "ok": false, "error": "cannot start: exit 127", "tools": []}]}
            """;

    private LoopbackGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void listToolsShowsEachToolAsTheModelSeesItAndAFailedServerAsAnErrorLine() {
        gateway.rest("/v1/mcp/tools", TOOLS);
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", gateway.url(), "--no-color", "mcp", "list-tools");
        assertEquals(1, run.exit(), "a failed server is not a success: " + run.err());
        assertEquals("""
                fixture: 2 tools
                  mcp__fixture__echo  Echoes the text back.
                      args: text*: string, times: integer
                  mcp__fixture__count  Counts.
                      no arguments
                ✗ broken: error: cannot start: exit 127
                tenant default, listed 2026-12-04T15:00:00Z by agent-service agent-0
                """, run.out());
        assertEquals("/v1/mcp/tools", gateway.paths.get(0));
    }

    @Test
    void listToolsAsksForTheTenantAndPrintsJson() throws Exception {
        gateway.rest("/v1/mcp/tools", TOOLS);
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", gateway.url(), "--json", "mcp", "list-tools",
                "--tenant", "acme corp");
        assertEquals("/v1/mcp/tools?tenant=acme+corp", gateway.paths.get(0));
        assertEquals("mcp__fixture__echo", LoopbackGateway.JSON.readTree(run.out()).path("servers").get(0)
                .path("tools").get(0).path("name").asText());
    }

    @Test
    void listToolsSaysWhenNothingWasPublishedOrNothingIsConfigured() {
        gateway.rest("/v1/mcp/tools", "{\"tenant\": \"default\", \"listed_at\": null, \"agent\": null, \"servers\": []}");
        CodetetherCliTest.Run none = CodetetherCliTest.run("--url", gateway.url(), "mcp", "list-tools");
        assertEquals(0, none.exit(), none.err());
        assertTrue(none.out().startsWith("no agent-service has published its MCP servers yet"), none.out());
        gateway.rest("/v1/mcp/tools", "{\"tenant\": \"default\", \"listed_at\": \"2026-12-04T15:00:00Z\", "
                + "\"agent\": \"a\", \"servers\": []}");
        CodetetherCliTest.Run empty = CodetetherCliTest.run("--url", gateway.url(), "mcp", "list-tools");
        assertTrue(empty.out().startsWith("no MCP servers for tenant default"), empty.out());
    }

    @Test
    void serveFindsTheMcpEndpointOnTheGatewaysOrigin() {
        assertEquals("http://127.0.0.1:8080/mcp", McpServeCommand.endpoint("http://127.0.0.1:8080/").toString());
        assertEquals("http://127.0.0.1:8080/mcp", McpServeCommand.endpoint("http://127.0.0.1:8080/a2a").toString());
        assertEquals("https://gw.example.invalid/mcp", McpServeCommand.endpoint("https://gw.example.invalid/mcp/").toString());
    }

    @Test
    void serveWithoutAGatewayExitsFiveWithOneLineAndNothingOnStdout() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CodetetherCliTest.Run run = CodetetherCliTest.run("--url", "http://127.0.0.1:" + port + "/", "mcp", "serve",
                "--connect-timeout", "3");
        assertEquals(5, run.exit(), run.err());
        assertTrue(run.err().startsWith("codetether: cannot reach the gateway's MCP endpoint at http://127.0.0.1:"),
                run.err());
        assertEquals("", run.out());
    }
}
