package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Two gateway processes on one broker, over real HTTP: a stream opened on one gateway that dies mid-task is picked up
 * by SubscribeToTask on the other; a restarted gateway still knows the task; and the cognition SSE stream of the
 * personas running in swarm-service reaches clients of both gateways with the same events.
 */
class TwoGatewaysEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY = Duration.ofSeconds(120);

    @TempDir
    static Path workspaces;

    static String kafka;
    static ScriptedLlmServer coder;
    static ScriptedLlmServer thinker;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess swarm;
    static volatile ServiceProcess gatewayA;
    static ServiceProcess gatewayB;
    static final LocalPlatform platform = new LocalPlatform();

    @BeforeAll
    static void startPlatform() throws Exception {
        kafka = SharedKafkaBroker.bootstrapServers();
        coder = platform.own(ScriptedLlmServer.start());
        thinker = platform.own(ScriptedLlmServer.start());
        thinker.respondWith(r -> Reply.text("THOUGHT: the workspace looks healthy"));
        tools = platform.tools(workspaces, Map.of());
        swarm = platform.start("swarm-service", Map.of(
                "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                "CODETETHER_LOCAL_BASE_URL", coder.openAiBaseUrl(),
                "CODETETHER_COGNITION_AUTO_START", "false",
                "CODETETHER_COGNITION_THINKER_BASE_URL", thinker.openAiBaseUrl(),
                "CODETETHER_COGNITION_THINKER_MODEL", "scripted-thinker"));
        gatewayA = gateway("gw-a");
        gatewayB = gateway("gw-b");
        agent = platform.agent(kafka, coder.openAiBaseUrl(), tools, workspaces);
        platform.awaitReady(READY);
    }

    private static ServiceProcess gateway(String instanceId) throws Exception {
        return platform.gateway(kafka, Map.of("CODETETHER_GATEWAY_INSTANCE_ID", instanceId));
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void aStreamOnAGatewayThatDiesIsPickedUpOnTheOtherAndARestartedGatewayStillKnowsTheTask() throws Exception {
        coder.enqueue(Reply.tools(Reply.call("b1", "bash", Map.of("command", "echo STEP-ONE; sleep 1; echo STEP-TWO"))),
                Reply.text("FINISHED-AFTER-THE-GATEWAY-DIED").withDelay(Duration.ofSeconds(4)));
        String contextId = "ctx-" + UUID.randomUUID();
        ObjectNode rpc = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 7).put("method", "SendStreamingMessage");
        ObjectNode message = rpc.putObject("params").putObject("message");
        message.put("messageId", UUID.randomUUID().toString()).put("role", "ROLE_USER").put("contextId", contextId);
        message.putArray("parts").addObject().put("text", "say hello from the shell");
        rpc.with("params").putObject("metadata").put("provider", "local");

        String taskId;
        try (SseClient onA = SseClient.post(gatewayA.url("/"), rpc.toString(), Map.of("A2A-Version", "1.0"))) {
            List<SseClient.Event> seen = onA.until(e -> e.data().contains("STEP-ONE")
                    && e.data().contains("\"output\":true"), Duration.ofSeconds(60)); // not the call's arguments
            JsonNode live = JSON.readTree(seen.get(seen.size() - 1).data()).path("result").path("statusUpdate");
            assertTrue(live.path("metadata").path("output").asBoolean(), "the command's output streams while it runs: " + live);
            JsonNode first = JSON.readTree(seen.get(0).data());
            assertEquals(7, first.path("id").asInt(), "every SSE event is a JSON-RPC response to the request");
            taskId = first.path("result").path("task").path("id").asText();
            assertFalse(taskId.isBlank(), "the first event is the task: " + first);
            gatewayA.close(); // the stream's gateway goes away while the agent still works
        }

        try (SseClient onB = SseClient.post(gatewayB.url("/"), JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 8)
                .put("method", "SubscribeToTask").set("params", JSON.createObjectNode().put("id", taskId)).toString(),
                Map.of("A2A-Version", "1.0"))) {
            List<SseClient.Event> rest = onB.until(e -> e.data().contains("TASK_STATE_COMPLETED"), Duration.ofSeconds(60));
            JsonNode snapshot = JSON.readTree(rest.get(0).data()).path("result").path("task");
            assertEquals(taskId, snapshot.path("id").asText(), "a resubscription starts with the task as it is now");
            assertTrue(rest.stream().anyMatch(e -> e.data().contains("FINISHED-AFTER-THE-GATEWAY-DIED")),
                    "the answer produced after the first gateway died reaches the client of the second: " + rest);
        }

        ServiceProcess restarted = gateway("gw-a");
        restarted.awaitReady(READY);
        gatewayA = restarted; // the other test streams from whichever gateway A is alive
        JsonNode task = new A2aHttp(restarted).rpc("GetTask", JSON.createObjectNode().put("id", taskId));
        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText(), task.toPrettyString());
        List<String> history = new ArrayList<>();
        task.path("history").forEach(m -> history.add(m.path("role").asText() + ":" + m.path("parts").path(0).path("text").asText()));
        assertEquals(List.of("ROLE_USER:say hello from the shell", "ROLE_AGENT:FINISHED-AFTER-THE-GATEWAY-DIED"), history,
                "the history survived the restart and holds the answer once");
    }

    @Test
    void bothGatewaysStreamTheSameCognitionThoughts() throws Exception {
        try (SseClient onA = SseClient.get(gatewayA.url("/v1/cognition/stream"));
                SseClient onB = SseClient.get(gatewayB.url("/v1/cognition/stream"))) {
            assertEquals(200, onA.status());
            assertEquals(200, onB.status());
            HttpResponse<String> started = post(gatewayB.url("/v1/cognition/start"), "{\"loop_interval_ms\":200}");
            assertEquals(200, started.statusCode(), started.body());
            try {
                Map<String, String> a = thoughts(onA, 4);
                Map<String, String> b = thoughts(onB, 4);
                List<String> common = a.keySet().stream().filter(b::containsKey).toList();
                assertFalse(common.isEmpty(), "both clients see the same events: " + a.keySet() + " vs " + b.keySet());
                for (String id : common) {
                    assertEquals(a.get(id), b.get(id), "event " + id + " is the same on both gateways");
                }
                assertTrue(a.values().stream().anyMatch(d -> d.contains("THOUGHT: the workspace looks healthy")),
                        "the thinker model's words are in the stream: " + a.values());
            } finally {
                HttpResponse<String> stopped = post(gatewayB.url("/v1/cognition/stop"), "{}");
                assertEquals(200, stopped.statusCode(), stopped.body());
            }
        }
    }

    /** The first n cognition events of a stream, by event id. */
    private static Map<String, String> thoughts(SseClient sse, int n) throws InterruptedException {
        Map<String, String> byId = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (byId.size() < n && System.nanoTime() < deadline) {
            SseClient.Event e = sse.next(Duration.ofMillis(500));
            if (e != null && "cognition".equals(e.name())) {
                assertNotNull(e.id(), "cognition events carry an id for Last-Event-ID");
                byId.put(e.id(), e.data());
            }
        }
        assertEquals(n, byId.size(), "cognition events within 60 s");
        return byId;
    }

    private static HttpResponse<String> post(URI uri, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
