package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
    @TempDir
    static Path workspaces;

    static final LocalPlatform platform = new LocalPlatform();
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess gateway;
    static A2aHttp a2a;

    @BeforeAll
    static void startPlatform() throws Exception {
        String kafka = SharedKafkaBroker.bootstrapServers();
        llm = platform.own(ScriptedLlmServer.start());
        tools = platform.tools(workspaces, Map.of());
        gateway = platform.gateway(kafka, Map.of());
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, workspaces);
        platform.awaitReady(Duration.ofSeconds(90));
        a2a = new A2aHttp(gateway);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void agentCardIsServedOnBothPaths() throws Exception {
        for (String path : List.of("/.well-known/agent-card.json", "/.well-known/agent.json")) {
            HttpResponse<String> r = a2a.get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(A2aHttp.JSON.readTree(r.body()).path("name").asText().toLowerCase().contains("codetether"), r.body());
        }
    }

    @Test
    void aCodingTaskWritesAFileRunsACommandAndAnswers() throws Exception {
        llm.enqueue(
                Reply.tools(Reply.call("call_1", "write_file", Map.of("path", "hello.txt", "content", "hello from e2e\n"))),
                Reply.tools(Reply.call("call_2", "bash", Map.of("command", "wc -c hello.txt"))),
                Reply.text("Wrote hello.txt (15 bytes)."));

        JsonNode sent = a2a.send("ctx-" + UUID.randomUUID(), "Create hello.txt and count its bytes",
                Map.of("provider", "local"));
        String taskId = sent.path("id").asText();
        assertFalse(taskId.isBlank(), sent.toString());

        JsonNode task = a2a.awaitFinal(taskId, Duration.ofSeconds(60), agent, tools);

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
}
