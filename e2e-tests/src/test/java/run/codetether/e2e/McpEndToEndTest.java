package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.fixtures.mcp.McpHttpTestServer;

/**
 * The two MCP commands of the CLI as real processes against a real stack (docs/mcp.md): {@code codetether mcp serve}
 * driven by the official MCP SDK's stdio client (lists the gateway's tools, runs a task to its end with progress
 * notifications, fails fast on a wrong key or no gateway), and {@code codetether mcp list-tools} showing the tools of
 * the MCP servers agent-service is configured with (a real streamable HTTP MCP server, and one that cannot be
 * reached, shown as an error line). The gateway here requires an API key, as in a cluster.
 */
class McpEndToEndTest {
    static final String KEY = "e2e-mcp-key-alice-123";
    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalPlatform platform = new LocalPlatform();
    static ServiceProcess gateway;
    static ScriptedLlmServer llm;

    @TempDir
    static Path dirs;

    @BeforeAll
    static void stack() throws Exception {
        String kafka = SharedKafkaBroker.bootstrapServers();
        Path workspaces = Files.createTempDirectory("codetether-mcp-ws");
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(McpEndToEndTest::answer);
        McpHttpTestServer mcpServer = platform.own(McpHttpTestServer.start());
        ServiceProcess tools = platform.tools(workspaces, Map.of());
        gateway = platform.gateway(kafka, Map.of(),
                "-D%local.codetether.gateway.auth.open=false", "-Dcodetether.gateway.auth.api-keys=alice:" + KEY,
                // alice's key may name tenant acme (list-tools --tenant acme below); default stays its default
                "-Dcodetether.gateway.auth.tenants.alice=default,acme");
        tools.awaitReady(Duration.ofSeconds(120));
        platform.start("agent-service", Map.of(
                        "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                        "CODETETHER_LOCAL_BASE_URL", llm.openAiBaseUrl(),
                        "CODETETHER_LOCAL_MODEL", "scripted-coder",
                        "CODETETHER_AGENT_TOOLS_HOST", "127.0.0.1",
                        "CODETETHER_AGENT_TOOLS_PORT", String.valueOf(tools.grpcPort),
                        "CODETETHER_TOOL_ROUTER_ENABLED", "false",
                        "CODETETHER_SECRETS_FILE", workspaces.resolve("no-secrets.json").toString()),
                "-Dcodetether.agent.mcp.servers.fixture.url=" + mcpServer.url(),
                // nothing listens there: the listing reports it, and list-tools shows it as an error line
                "-Dcodetether.agent.mcp.servers.broken.url=http://127.0.0.1:" + ServiceProcess.freePort() + "/mcp",
                "-Dcodetether.agent.mcp.servers.broken.tenants=default");
        platform.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    /** The scripted model: one MCP tool call for an MCPCALL-E2E prompt, the local stack's script otherwise. */
    static Reply answer(RecordedRequest request) {
        if (request.lastTurn().prompt().contains("MCPCALL-E2E")) {
            if (request.lastTurn().toolResults() == 0) {
                return Reply.tools(Reply.call("call_mcp", "mcp__fixture__echo", Map.of("text", "across the platform")));
            }
            List<RecordedRequest.ToolResult> results = request.toolResults();
            return Reply.text("The MCP server answered: " + results.get(results.size() - 1).content());
        }
        return LocalStack.answer(request);
    }

    private static String url() {
        return "http://127.0.0.1:" + gateway.port + "/";
    }

    private record Result(int exit, String out, String err) {}

    /** The CLI as a process whose stdin stays open (a hang would show as a timeout, not as a quick exit). */
    private static Result cli(String... args) throws Exception {
        TerminalClient client = new TerminalClient(dirs.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(client.command(args));
        pb.environment().putAll(client.env());
        Process p = pb.start();
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> out.complete(read(p.getInputStream())));
        Thread.ofVirtual().start(() -> err.complete(read(p.getErrorStream())));
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the CLI ended by itself: " + String.join(" ", args));
        p.getOutputStream().close();
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static McpSyncClient stdioClient(String apiKey, List<McpSchema.ProgressNotification> progress,
            List<String> stderr) throws Exception {
        TerminalClient client = new TerminalClient(dirs.resolve("home"));
        List<String> command = client.command("--url", url(), "--api-key", apiKey, "mcp", "serve");
        ServerParameters params = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()))
                .env(client.env()).build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(JSON));
        transport.setStdErrorHandler(stderr::add);
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120))
                .initializationTimeout(Duration.ofSeconds(60)).progressConsumer(progress::add).build();
    }

    @Test
    void mcpServeOffersTheGatewaysToolsOverStdioAndRunsATaskToItsEndWithProgress() throws Exception {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        List<String> stderr = new CopyOnWriteArrayList<>();
        try (McpSyncClient mcp = stdioClient(KEY, progress, stderr)) {
            McpSchema.InitializeResult init = mcp.initialize();
            assertEquals("codetether", init.serverInfo().name(), init.toString());
            List<McpSchema.Tool> tools = mcp.listTools().tools();
            assertEquals(List.of("codetether_cancel_task", "codetether_get_task", "codetether_list_codebases",
                    "codetether_list_tasks", "codetether_run"),
                    tools.stream().map(McpSchema.Tool::name).sorted().toList());
            McpSchema.Tool run = tools.stream().filter(t -> t.name().equals("codetether_run")).findFirst().orElseThrow();
            assertTrue(String.valueOf(run.inputSchema()).contains("prompt"), run.toString());

            McpSchema.CallToolResult result = mcp.callTool(McpSchema.CallToolRequest.builder("codetether_run")
                    .arguments(Map.of("prompt", "Say something over stdio")).progressToken("stdio-run-1").build());
            String text = ((McpSchema.TextContent) result.content().get(0)).text();
            assertFalse(Boolean.TRUE.equals(result.isError()), text);
            assertTrue(text.contains("COMPLETED") && text.contains("scripted-coder") && text.contains("Done."), text);
            assertFalse(progress.isEmpty(), "progress notifications while the task ran; stderr: " + stderr);
            assertTrue(progress.stream().allMatch(p -> "stdio-run-1".equals(p.progressToken())),
                    "progress comes back under the client's own token: " + progress);
            assertTrue(progress.stream().anyMatch(p -> p.message() != null && p.message().contains("COMPLETED")),
                    progress.toString());

            String taskId = text.substring("Task ".length(), text.indexOf(' ', "Task ".length()));
            McpSchema.CallToolResult got = mcp.callTool(new McpSchema.CallToolRequest("codetether_get_task",
                    Map.of("taskId", taskId)));
            assertTrue(((McpSchema.TextContent) got.content().get(0)).text().contains("TASK_STATE_COMPLETED"),
                    got.toString());
            McpSchema.CallToolResult missing = mcp.callTool(new McpSchema.CallToolRequest("codetether_get_task",
                    Map.of("taskId", "no-such-task")));
            assertTrue(Boolean.TRUE.equals(missing.isError()) && missing.toString().contains("TASK_NOT_FOUND"),
                    "the gateway's refusal reaches the stdio client as a tool error: " + missing);
        }
    }

    private static String texts(McpSchema.CallToolResult r) {
        StringBuilder b = new StringBuilder();
        r.content().forEach(c -> b.append(c instanceof McpSchema.TextContent t ? t.text() : c.toString()).append('\n'));
        return b.toString();
    }

    /**
     * Issue 17, MCP both ways through the packaged processes: an MCP client runs a task through `codetether mcp
     * serve`; in it the scripted model is offered the configured streamable HTTP server's tools with their schemas,
     * calls one (agent-service, CallMcpTool, tools-service, the real MCP server), and the tool's answer reaches the
     * model and so the task's answer.
     */
    @Test
    void aTasksModelCallsAConfiguredMcpServersToolAndReadsItsAnswer() throws Exception {
        List<String> stderr = new CopyOnWriteArrayList<>();
        try (McpSyncClient mcp = stdioClient(KEY, new CopyOnWriteArrayList<>(), stderr)) {
            mcp.initialize();
            McpSchema.CallToolResult result = mcp.callTool(new McpSchema.CallToolRequest("codetether_run",
                    Map.of("prompt", "MCPCALL-E2E: echo through the fixture server")));
            String text = texts(result);
            assertFalse(Boolean.TRUE.equals(result.isError()), text + stderr);
            assertTrue(text.contains("ended COMPLETED") && text.contains("The MCP server answered: echo: across the platform"),
                    text);
        }
        List<RecordedRequest> turns = llm.requests().stream().filter(r -> r.bodyText().contains("MCPCALL-E2E")).toList();
        assertEquals(2, turns.size(), "a tool call and the answer");
        assertTrue(turns.get(0).toolNames().containsAll(List.of("mcp__fixture__echo", "mcp__fixture__add")),
                turns.get(0).toolNames().toString());
        assertTrue(turns.get(0).bodyText().contains("what to echo"), "the server's JSON schema is offered to the model");
        RecordedRequest.ToolResult back = turns.get(1).toolResults().get(0);
        assertEquals("call_mcp", back.callId());
        assertEquals("echo: across the platform", back.content());
    }

    /**
     * The MCP server's other tools through `mcp serve`, on real tasks: codetether_run returns the changes artifact's
     * diff beside the answer, codetether_cancel_task cancels a running task, codetether_list_codebases answers (no
     * worker is connected here).
     */
    @Test
    void runReturnsTheChangesCancelStopsARunningTaskAndCodebasesAreListed() throws Exception {
        List<String> stderr = new CopyOnWriteArrayList<>();
        try (McpSyncClient mcp = stdioClient(KEY, new CopyOnWriteArrayList<>(), stderr)) {
            mcp.initialize();
            McpSchema.CallToolResult made = mcp.callTool(new McpSchema.CallToolRequest("codetether_run",
                    Map.of("prompt", "Create hello.txt and count its bytes")));
            String all = texts(made);
            assertFalse(Boolean.TRUE.equals(made.isError()), all + stderr);
            assertEquals(2, made.content().size(), "the answer, then the diff: " + all);
            String diff = ((McpSchema.TextContent) made.content().get(1)).text();
            assertTrue(diff.contains("hello.txt") && diff.contains("+hello from e2e"), diff);

            String taskId = new A2aHttp(gateway).rpc("SendMessage", A2aHttp.sendParams("ctx-mcp-cancel-" + UUID.randomUUID(),
                    "Take your time: sleep a while", false, Map.of()), KEY).path("task").path("id").asText();
            assertFalse(taskId.isBlank());
            awaitState(mcp, taskId, "TASK_STATE_WORKING");
            McpSchema.CallToolResult canceled = mcp.callTool(new McpSchema.CallToolRequest("codetether_cancel_task",
                    Map.of("taskId", taskId)));
            assertFalse(Boolean.TRUE.equals(canceled.isError()), texts(canceled));
            awaitState(mcp, taskId, "TASK_STATE_CANCELED");

            McpSchema.CallToolResult codebases = mcp.callTool(new McpSchema.CallToolRequest("codetether_list_codebases",
                    Map.of()));
            assertFalse(Boolean.TRUE.equals(codebases.isError()), texts(codebases));
            assertEquals(0, JSON.readTree(texts(codebases)).path("codebases").size(), texts(codebases));
        }
    }

    private static void awaitState(McpSyncClient mcp, String taskId, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = texts(mcp.callTool(new McpSchema.CallToolRequest("codetether_get_task", Map.of("taskId", taskId))));
            if (last.contains("\"" + state + "\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(taskId + " never reached " + state + ": " + last);
    }

    @Test
    void mcpServeWithARefusedKeyOrNoGatewayFailsAtOnceWithOneLineOnStderr() throws Exception {
        Result refused = cli("--url", url(), "--api-key", "wrong-key-000000", "mcp", "serve");
        assertEquals(3, refused.exit(), refused.err());
        assertTrue(refused.err().contains("refused the credentials"), refused.err());
        assertEquals("", refused.out(), "nothing but MCP on stdout");

        Result unreachable = cli("--url", "http://127.0.0.1:" + ServiceProcess.freePort() + "/", "--api-key", KEY,
                "mcp", "serve", "--connect-timeout", "5");
        assertEquals(5, unreachable.exit(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot reach the gateway"), unreachable.err());
        assertEquals("", unreachable.out());
    }

    /** Waits for agent-service's first catalog (published in the background after its start). */
    private static JsonNode publishedCatalog() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            Result r = cli("--url", url(), "--api-key", KEY, "--json", "mcp", "list-tools");
            JsonNode body = JSON.readTree(r.out().isBlank() ? "{}" : r.out());
            if (!body.path("listed_at").isNull() && !body.path("listed_at").isMissingNode()) {
                return body;
            }
            assertTrue(System.nanoTime() < deadline, "no MCP tool catalog published: " + r);
            Thread.sleep(500);
        }
    }

    @Test
    void listToolsShowsTheConfiguredServersToolsAsTheModelSeesThemAndAFailedServerAsAnError() throws Exception {
        JsonNode body = publishedCatalog();
        assertEquals("default", body.path("tenant").asText(), body.toPrettyString());
        JsonNode fixture = body.path("servers").get(0);
        assertEquals("fixture", fixture.path("name").asText(), body.toPrettyString());
        assertTrue(fixture.path("ok").asBoolean(), body.toPrettyString());
        JsonNode echo = null;
        for (JsonNode t : fixture.path("tools")) {
            if (t.path("name").asText().equals("mcp__fixture__echo")) {
                echo = t;
            }
        }
        assertTrue(echo != null, body.toPrettyString());
        assertEquals("echo", echo.path("tool").asText());
        assertEquals("string", echo.path("input_schema").path("properties").path("text").path("type").asText());
        JsonNode broken = body.path("servers").get(1);
        assertEquals("broken", broken.path("name").asText(), body.toPrettyString());
        assertFalse(broken.path("ok").asBoolean(), body.toPrettyString());
        assertFalse(broken.path("error").asText().isBlank(), body.toPrettyString());

        Result text = cli("--url", url(), "--api-key", KEY, "--no-color", "mcp", "list-tools");
        assertEquals(1, text.exit(), "a server that failed to list makes the exit non-zero: " + text);
        assertTrue(text.out().contains("mcp__fixture__echo  Echoes the text back."), text.out());
        assertTrue(text.out().contains("args: text*: string"), text.out());
        assertTrue(text.out().contains("mcp__fixture__add") && text.out().contains("args: a*: integer, b*: integer"),
                text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("✗ broken: error: ")), text.out());

        // "broken" is configured for tenant default only: another tenant sees just the fixture, all listed
        Result other = cli("--url", url(), "--api-key", KEY, "--no-color", "mcp", "list-tools", "--tenant", "acme");
        assertEquals(0, other.exit(), other.toString());
        assertTrue(other.out().contains("mcp__fixture__echo") && !other.out().contains("broken"), other.out());
    }

    @Test
    void theToolListIsTheSameOverJsonRpcAndNeedsCredentials() throws Exception {
        publishedCatalog();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url() + "v1/mcp/tools")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().contains("\"error\""), anonymous.body());

        HttpResponse<String> rpc = http.send(HttpRequest.newBuilder(URI.create(url()))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,"
                        + "\"method\":\"codetether/mcp/tools/list\",\"params\":{\"tenant\":\"acme\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode result = JSON.readTree(rpc.body()).path("result");
        assertEquals("acme", result.path("tenant").asText(), rpc.body());
        assertEquals(1, result.path("servers").size(), rpc.body());
        assertEquals("fixture", result.path("servers").get(0).path("name").asText(), rpc.body());
    }
}
