package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * The whole path of one coding task through real processes: an A2A client -> gateway -> Kafka (real broker) ->
 * agent-service -> scripted LLM (OpenAI wire protocol, the `local` provider) -> tools-service (real sandboxed tools
 * over gRPC) -> events on Kafka -> gateway -> the client.
 */
class PlatformEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path workspaces;

    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess gateway;

    @BeforeAll
    static void startPlatform() throws Exception {
        String kafka = SharedKafkaBroker.bootstrapServers();
        llm = ScriptedLlmServer.start();
        tools = ServiceProcess.start("tools-service", Map.of("CODETETHER_TOOLS_WORKSPACE_ROOT", workspaces.toString()));
        gateway = ServiceProcess.start("gateway-service", Map.of("CODETETHER_KAFKA_BOOTSTRAP", kafka));
        tools.awaitReady(Duration.ofSeconds(90));
        agent = ServiceProcess.start("agent-service", Map.of(
                "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                "CODETETHER_LOCAL_BASE_URL", llm.openAiBaseUrl(),
                "CODETETHER_LOCAL_MODEL", "scripted-coder",
                "CODETETHER_AGENT_TOOLS_HOST", "127.0.0.1",
                "CODETETHER_AGENT_TOOLS_PORT", String.valueOf(tools.port),
                "CODETETHER_TOOL_ROUTER_ENABLED", "false",
                "CODETETHER_SECRETS_FILE", workspaces.resolve("no-secrets.json").toString()));
        agent.awaitReady(Duration.ofSeconds(90));
        gateway.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, agent, tools, llm}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void agentCardIsServedOnBothPaths() throws Exception {
        for (String path : List.of("/.well-known/agent-card.json", "/.well-known/agent.json")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gateway.url(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path);
            assertTrue(JSON.readTree(r.body()).path("name").asText().toLowerCase().contains("codetether"), r.body());
        }
    }

    @Test
    void aCodingTaskWritesAFileRunsACommandAndAnswers() throws Exception {
        llm.enqueue(
                Reply.tools(Reply.call("call_1", "write_file", Map.of("path", "hello.txt", "content", "hello from e2e\n"))),
                Reply.tools(Reply.call("call_2", "bash", Map.of("command", "wc -c hello.txt"))),
                Reply.text("Wrote hello.txt (15 bytes)."));

        String contextId = "ctx-" + UUID.randomUUID();
        JsonNode sent = rpc("SendMessage", message(contextId, "Create hello.txt and count its bytes"));
        String taskId = sent.path("task").path("id").asText();
        assertTrue(!taskId.isBlank(), sent.toString());

        JsonNode task = awaitFinal(taskId);

        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText(), task.toPrettyString());
        assertTrue(task.toString().contains("Wrote hello.txt"), task.toPrettyString());
        List<RecordedRequest> requests = llm.requests();
        assertEquals(3, requests.size());
        List<RecordedRequest.ToolResult> results = requests.get(2).toolResults();
        assertEquals(2, results.size(), requests.get(2).bodyText());
        assertTrue(results.get(1).content().contains("15"), "bash output went back to the model: " + results.get(1));
        Path written;
        try (var files = Files.walk(workspaces)) {
            written = files.filter(p -> p.getFileName().toString().equals("hello.txt")).findFirst().orElseThrow();
        }
        assertEquals("hello from e2e\n", Files.readString(written));
    }

    private static ObjectNode message(String contextId, String text) {
        ObjectNode params = JSON.createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("role", "ROLE_USER");
        message.put("contextId", contextId);
        message.putArray("parts").addObject().put("text", text);
        params.putObject("configuration").put("returnImmediately", true);
        params.putObject("metadata").put("provider", "local");
        return params;
    }

    private static JsonNode awaitFinal(String taskId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode task = null;
        while (System.nanoTime() < deadline) {
            task = rpc("GetTask", JSON.createObjectNode().put("id", taskId));
            String state = task.path("status").path("state").asText();
            if (state.endsWith("COMPLETED") || state.endsWith("FAILED") || state.endsWith("CANCELED")
                    || state.endsWith("REJECTED") || state.endsWith("INPUT_REQUIRED")) {
                return task;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task did not finish in 60 s: " + task + "\nagent log:\n" + agent.tail());
    }

    private static JsonNode rpc(String method, JsonNode params) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        body.set("params", params);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gateway.url("/"))
                        .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(r.body());
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer + "\ngateway log:\n" + gateway.tail());
        }
        return answer.path("result");
    }
}
