package run.codetether.agent.domain.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.infra.tools.GrpcMcpTools;
import run.codetether.agent.support.FileToolsGrpcServer;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.mcp.McpToolCatalog;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsResponse;
import run.codetether.contracts.tools.v1.McpServerStatus;
import run.codetether.contracts.tools.v1.McpTool;

/**
 * The catalog agent-service publishes for {@code codetether mcp list-tools}: the configured servers listed through
 * tools-service (scripted over real gRPC), tools under the model's names, a failed server with its error, and a
 * tools-service that cannot be reached as every server's error (never an empty success).
 */
class McpToolCatalogsTest {
    static final McpServerSpec LOCAL = new McpServerSpec("local", List.of("node", "server.js"), null, null, null, null,
            null, null, null, false);
    static final McpServerSpec BROKEN = new McpServerSpec("broken", null, null, null, null, "https://mcp.example.invalid/mcp",
            null, null, null, false);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T15:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    FileToolsGrpcServer tools;
    volatile ListMcpToolsRequest asked;

    @BeforeEach
    void start() throws Exception {
        tools = new FileToolsGrpcServer(root);
        tools.mcp(new FileToolsGrpcServer.McpSide() {
            @Override
            public ListMcpToolsResponse list(ListMcpToolsRequest r) {
                asked = r;
                return ListMcpToolsResponse.newBuilder()
                        .addServers(McpServerStatus.newBuilder().setServer("local").setOk(true))
                        .addServers(McpServerStatus.newBuilder().setServer("broken").setOk(false)
                                .setError("UNAVAILABLE: cannot connect to mcp.example.invalid"))
                        .addTools(McpTool.newBuilder().setServer("local").setName("echo").setDescription("Echoes")
                                .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}")
                                .setReadOnlyHint(true))
                        .addTools(McpTool.newBuilder().setServer("local").setName("write.note").setDescription("Writes")
                                .setInputSchemaJson("{\"type\":\"object\",\"properties\":{}}"))
                        .build();
            }

            @Override
            public CallMcpToolResponse call(CallMcpToolRequest r) {
                throw Status.UNIMPLEMENTED.asRuntimeException();
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        tools.close();
    }

    McpServerPolicy policy() {
        return new McpServerPolicy(List.of(new McpServerPolicy.TenantServer(LOCAL, Set.of()),
                new McpServerPolicy.TenantServer(BROKEN, Set.of("acme"))), McpServerPolicy.TaskServers.NONE);
    }

    @Test
    void theConfiguredServersToolsAreListedUnderTheModelsNamesAndAFailedServerKeepsItsError() throws Exception {
        try (GrpcMcpTools grpc = new GrpcMcpTools("127.0.0.1", tools.port())) {
            McpToolCatalog c = new McpToolCatalogs(policy(), grpc, Duration.ofSeconds(10), CLOCK)
                    .list("mcp-catalog-agent-0", "agent-0");
            assertEquals("mcp-catalog-agent-0", asked.getSessionId());
            assertEquals(List.of("local", "broken"), asked.getServersList().stream().map(s -> s.getName()).toList());
            assertEquals("agent-0", c.agent());
            assertEquals(Instant.parse("2026-12-04T15:00:00Z"), c.listedAt());
            McpToolCatalog.Server local = c.servers().get(0);
            assertTrue(local.ok());
            assertEquals("stdio", local.transport());
            assertEquals(List.of("mcp__local__echo", McpToolNames.of("local", "write.note")),
                    local.tools().stream().map(McpToolCatalog.Tool::name).toList());
            assertEquals("echo", local.tools().get(0).tool());
            assertEquals(Boolean.TRUE, local.tools().get(0).readOnlyHint());
            McpToolCatalog.Server broken = c.servers().get(1);
            assertFalse(broken.ok());
            assertEquals("http", broken.transport());
            assertTrue(broken.error().contains("cannot connect"), broken.error());
            assertTrue(broken.tools().isEmpty());

            // tenant scoping and the wire form the gateway reads back
            McpToolCatalog back = ContractJson.read(ContractJson.write(c), McpToolCatalog.class);
            assertEquals(c, back);
            assertEquals(List.of("local"), back.serversFor(null).stream().map(McpToolCatalog.Server::name).toList());
            assertEquals(List.of("local", "broken"),
                    back.serversFor("acme").stream().map(McpToolCatalog.Server::name).toList());
        }
    }

    @Test
    void aToolsServiceThatCannotBeReachedIsEveryServersErrorNotAnEmptyList() throws Exception {
        int port = tools.port();
        tools.close();
        try (GrpcMcpTools grpc = new GrpcMcpTools("127.0.0.1", port)) {
            McpToolCatalog c = new McpToolCatalogs(policy(), grpc, Duration.ofSeconds(5), CLOCK).list("s", "agent-0");
            assertEquals(2, c.servers().size());
            for (McpToolCatalog.Server s : c.servers()) {
                assertFalse(s.ok(), s.toString());
                assertTrue(s.error().startsWith("tools-service could not list the MCP servers: "), s.error());
            }
        }
        tools = new FileToolsGrpcServer(root); // for @AfterEach
    }

    @Test
    void noConfiguredServerIsAnEmptyCatalogWithoutAskingToolsService() throws Exception {
        McpToolCatalog c = new McpToolCatalogs(McpServerPolicy.NONE, null, Duration.ofSeconds(1), CLOCK).list("s", "a");
        assertTrue(c.servers().isEmpty());
        assertEquals(null, asked);
    }
}
