package run.codetether.tools.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.CloseSessionRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.McpContent;
import run.codetether.contracts.tools.v1.McpHttp;
import run.codetether.contracts.tools.v1.McpServer;
import run.codetether.contracts.tools.v1.McpStdio;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.fixtures.mcp.McpHttpTestServer;
import run.codetether.fixtures.mcp.McpStdioTestServer;
import run.codetether.fixtures.mcp.McpTestTools;
import run.codetether.tools.domain.mcp.McpService;
import run.codetether.tools.support.LogCapture;

/**
 * ListMcpTools and CallMcpTool over gRPC against the real test servers: the stdio one started by the service inside
 * its sandbox, the streamable HTTP one on loopback; idempotency by call id, a crash, a bad spec, CloseSession. The
 * crash runs first on purpose: a crashed server's sandbox was once released twice (its pids cgroup went back to the
 * pool twice and the second release killed the next server started in it, the listing's, with 137), which only
 * this order showed (unit check: tools-core SandboxReleaseOnceTest).
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpGrpcTest {

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    @Inject
    McpService mcp;

    static McpHttpTestServer http;

    @BeforeAll
    static void start() {
        http = McpHttpTestServer.start();
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    static McpServer stdio(String name) {
        List<String> cmd = McpStdioTestServer.command();
        return McpServer.newBuilder().setName(name).setStdio(McpStdio.newBuilder().setCommand(cmd.get(0))
                .addAllArgs(cmd.subList(1, cmd.size())).putEnv("PLAIN", "from-grpc")).build();
    }

    static McpServer httpServer(String name) {
        return McpServer.newBuilder().setName(name).setHttp(McpHttp.newBuilder().setUrl(http.url())).build();
    }

    CallMcpToolResponse call(String session, String callId, McpServer server, String tool, String args) {
        return stub.callMcpTool(CallMcpToolRequest.newBuilder().setSessionId(session).setCallId(callId)
                .setServer(server).setTool(tool).setArgumentsJson(args).build());
    }

    @Test
    void listsBothServersAndCallsToolsWithFaithfulContent() {
        String session = "mcp-" + UUID.randomUUID();
        var listing = stub.listMcpTools(ListMcpToolsRequest.newBuilder().setSessionId(session)
                .addServers(stdio("local")).addServers(httpServer("remote"))
                .addServers(McpServer.newBuilder().setName("broken").setStdio(McpStdio.newBuilder()
                        .setCommand("/bin/false"))).build());
        assertEquals(List.of("local", "remote", "broken"), listing.getServersList().stream().map(s -> s.getServer())
                .toList());
        assertTrue(listing.getServers(0).getOk(), listing.getServers(0).getError());
        assertTrue(listing.getServers(1).getOk(), listing.getServers(1).getError());
        assertFalse(listing.getServers(2).getOk());
        assertThat(listing.getServers(2).getError()).startsWith("UNAVAILABLE: MCP server 'broken'").contains("exited with code 1");
        var echo = listing.getToolsList().stream().filter(t -> t.getServer().equals("local") && t.getName().equals("echo"))
                .findFirst().orElseThrow();
        assertTrue(echo.hasReadOnlyHint() && echo.getReadOnlyHint());
        assertFalse(listing.getToolsList().stream().filter(t -> t.getName().equals("write_note")).findFirst()
                .orElseThrow().hasReadOnlyHint());
        assertTrue(listing.getToolsList().stream().anyMatch(t -> t.getServer().equals("remote")
                && t.getName().equals("document")));

        CallMcpToolResponse env = call(session, "c1", stdio("local"), "env", "{\"name\":\"PLAIN\"}");
        assertTrue(env.getOk(), env.getError());
        assertEquals("from-grpc", env.getContent(0).getText());

        CallMcpToolResponse pic = call(session, "c2", httpServer("remote"), "picture", "{}");
        assertEquals("image/png", pic.getContent(0).getImage().getMimeType());
        assertArrayEquals(Base64.getDecoder().decode(McpTestTools.PNG_BASE64), pic.getContent(0).getImage().getData()
                .toByteArray());
        CallMcpToolResponse doc = call(session, "c3", stdio("local"), "document", "{}");
        McpContent readme = doc.getContent(0);
        assertEquals("test://doc/readme", readme.getResource().getUri());
        assertEquals("# Readme\nhello", readme.getResource().getText());
        assertArrayEquals(new byte[] {0, 1, 2}, doc.getContent(1).getResource().getBlob().toByteArray());
        assertEquals("test://doc/spec", doc.getContent(2).getResourceLink().getUri());
        CallMcpToolResponse sum = call(session, "c4", httpServer("remote"), "add", "{\"a\":1,\"b\":2}");
        assertEquals("{\"sum\":3}", sum.getStructuredContentJson());

        CallMcpToolResponse failed = call(session, "c5", stdio("local"), "fail", "{}");
        assertFalse(failed.getOk());
        assertTrue(failed.getToolError());
        assertEquals("the tool failed on purpose", failed.getContent(0).getText());

        CallMcpToolResponse badArgs = call(session, "c6", stdio("local"), "echo", "[1]");
        assertFalse(badArgs.getOk());
        assertThat(badArgs.getError()).startsWith("INVALID_ARGUMENT: local/echo: arguments must be a JSON object");
    }

    @Test
    void aRepeatedCallIdIsAnsweredFromTheStoreAndNeverReachesTheServer() {
        String session = "mcp-" + UUID.randomUUID();
        int before = McpTestTools.COUNT.get();
        CallMcpToolResponse first = call(session, "same-id", httpServer("remote"), "count", "{}");
        CallMcpToolResponse again = call(session, "same-id", httpServer("remote"), "count", "{}");
        assertFalse(first.getReplayed());
        assertTrue(again.getReplayed());
        assertEquals(first.getContent(0).getText(), again.getContent(0).getText());
        assertEquals(before + 1, McpTestTools.COUNT.get());
    }

    /** A server that exits mid-call: INTERRUPTED (issue 19), the repeat replayed, the next call on a fresh server. */
    @Test
    @Order(1)
    void aCrashIsAClearToolErrorAndTheNextCallGetsAFreshServer() {
        String session = "mcp-" + UUID.randomUUID();
        CallMcpToolResponse crash = call(session, "k1", stdio("crashy"), "crash", "{}");
        assertFalse(crash.getOk());
        assertFalse(crash.getToolError());
        assertTrue(crash.getInterrupted(), "the server died with the call in flight: " + crash);
        assertThat(crash.getError()).startsWith("INTERRUPTED: MCP server 'crashy'").contains("exited with code 3")
                .contains("crashing on purpose").contains("was not run again");
        CallMcpToolResponse repeat = call(session, "k1", stdio("crashy"), "crash", "{}");
        assertTrue(repeat.getInterrupted() && repeat.getReplayed(), "a repeat of the call id gets the same answer from"
                + " the store, not run again: " + repeat);
        CallMcpToolResponse after = call(session, "k2", stdio("crashy"), "echo", "{\"text\":\"back\"}");
        assertTrue(after.getOk(), after.getError());
        assertEquals("echo: back", after.getContent(0).getText());

        int pooled = mcp.pool().size();
        stub.closeSession(CloseSessionRequest.newBuilder().setSessionId(session).build());
        assertEquals(pooled - 1, mcp.pool().size(), "CloseSession closes the session's servers");
    }

    @Test
    void badEnvelopesAndSpecsAreInvalidArgument() {
        StatusRuntimeException noName = assertThrows(StatusRuntimeException.class, () -> call("mcp-x", "b1",
                McpServer.newBuilder().setName("Bad Name").setStdio(McpStdio.newBuilder().setCommand("x")).build(),
                "t", "{}"));
        assertEquals(Status.Code.INVALID_ARGUMENT, noName.getStatus().getCode());
        assertThat(noName.getStatus().getDescription()).contains("must be 1-32 characters of [a-z0-9_-]");
        StatusRuntimeException userInfo = assertThrows(StatusRuntimeException.class, () -> call("mcp-x", "b2",
                McpServer.newBuilder().setName("u").setHttp(McpHttp.newBuilder().setUrl("https://a:b@h.invalid/mcp"))
                        .build(), "t", "{}"));
        assertThat(userInfo.getStatus().getDescription()).contains("credentials in the url are refused");
        StatusRuntimeException noTransport = assertThrows(StatusRuntimeException.class, () -> call("mcp-x", "b3",
                McpServer.newBuilder().setName("n").build(), "t", "{}"));
        assertThat(noTransport.getStatus().getDescription()).contains("needs a transport");
        StatusRuntimeException noCall = assertThrows(StatusRuntimeException.class, () -> call("mcp-x", "",
                stdio("local"), "t", "{}"));
        assertEquals(Status.Code.INVALID_ARGUMENT, noCall.getStatus().getCode());
        CallMcpToolResponse secret = call("mcp-x", "b4", McpServer.newBuilder().setName("needs").setStdio(
                McpStdio.newBuilder().setCommand("/bin/true").addSecretEnv("TOKEN")).build(), "t", "{}");
        assertFalse(secret.getOk());
        assertThat(secret.getError()).contains("needs the secret mcp:needs").contains("has none");
    }

    @Test
    void serversSecretsComeFromVaultToTheProcessEnvAndTheHttpHeaderAndAMissingOneIsNamed() {
        String env = System.getProperty("ct.tools.it.mcp.env");
        String header = System.getProperty("ct.tools.it.mcp.header");
        String session = "mcp-vault-" + UUID.randomUUID();
        try (LogCapture logs = new LogCapture()) {
            List<String> cmd = McpStdioTestServer.command();
            McpServer st = McpServer.newBuilder().setName("vault-stdio").setStdio(McpStdio.newBuilder()
                    .setCommand(cmd.get(0)).addAllArgs(cmd.subList(1, cmd.size())).addSecretEnv("MCP_TOKEN")).build();
            CallMcpToolResponse fromEnv = call(session, "v1", st, "env", "{\"name\":\"MCP_TOKEN\"}");
            assertTrue(fromEnv.getOk(), fromEnv.getError());
            assertEquals(env, fromEnv.getContent(0).getText(), "the Vault value reached the server process's env");

            McpServer ht = McpServer.newBuilder().setName("vault-http").setHttp(McpHttp.newBuilder().setUrl(http.url())
                    .addSecretHeaders("Authorization")).build();
            CallMcpToolResponse echoed = call(session, "v2", ht, "echo", "{\"text\":\"hi\"}");
            assertTrue(echoed.getOk(), echoed.getError());
            assertTrue(http.headers.getOrDefault("authorization", List.of()).contains(header),
                    "the Vault value reached the HTTP server as its header");

            CallMcpToolResponse missing = call(session, "v3", McpServer.newBuilder().setName("vault-gone").setStdio(
                    McpStdio.newBuilder().setCommand(cmd.get(0)).addSecretEnv("MCP_TOKEN")).build(), "env", "{}");
            assertFalse(missing.getOk());
            assertThat(missing.getError()).contains("needs the secret mcp:vault-gone")
                    .contains("secret/codetether/mcp/vault-gone").contains("has none");
            for (String line : logs.lines()) {
                assertFalse(line.contains(env) || line.contains(header), () -> "a secret value was logged: " + line);
            }
        } finally {
            stub.closeSession(CloseSessionRequest.newBuilder().setSessionId(session).build());
        }
    }
}
