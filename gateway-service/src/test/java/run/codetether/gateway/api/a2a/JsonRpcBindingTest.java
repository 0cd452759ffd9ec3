package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.gateway.support.A2AHttp.rpc;
import static run.codetether.gateway.support.A2AHttp.userMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.RawHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * What only the JSON-RPC binding has: version selection by header or method name, the two versions on one task,
 * SSE keep-alives, the cards' routes. Every operation itself runs in the conformance suite
 * ({@code conformance.*ConformanceTest}) on every binding; envelope errors are in {@link JsonRpcErrorsTest}.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JsonRpcBindingTest {
    @TestHTTPResource("/a2a")
    URI endpoint;

    A2AHttp a2a;

    @BeforeEach
    void setUp() {
        a2a = new A2AHttp(endpoint);
        ScriptedWorker.shared();
    }

    static String message03(String text, String extra) {
        return "{\"kind\":\"message\",\"messageId\":\"" + UUID.randomUUID() + "\",\"role\":\"user\",\"parts\":"
                + "[{\"kind\":\"text\",\"text\":\"" + text + "\"}]" + (extra == null ? "" : "," + extra) + "}";
    }

    private JsonNode result(String method, String params, String version) {
        JsonNode r = a2a.post(rpc(1, method, params), A2AHttp.ALICE, version).json();
        assertEquals(null, r.get("error"), r::toString);
        return r.get("result");
    }

    @Test
    void withoutAVersionHeaderTheMethodNameDecides() {
        JsonNode task = result("message/send", "{\"message\":" + message03("ask", null) + "}", null);
        assertEquals("task", task.get("kind").asText());
        assertEquals("input-required", task.at("/status/state").asText());
        JsonNode next = result("message/send", "{\"message\":" + message03("main", "\"taskId\":\""
                + task.get("id").asText() + "\"") + "}", null);
        assertEquals("completed", next.at("/status/state").asText());
        JsonNode v10 = result("GetTask", "{\"id\":\"" + task.get("id").asText() + "\"}", null);
        assertEquals("TASK_STATE_COMPLETED", v10.at("/status/state").asText());
    }

    @Test
    void aTaskMadeOver10ReadsOver03() {
        String msg = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":["
                + "{\"text\":\"echo parts\"},"
                + "{\"raw\":\"aGVsbG8=\",\"filename\":\"a.txt\",\"mediaType\":\"text/plain\"},"
                + "{\"url\":\"https://example.org/b.png\",\"mediaType\":\"image/png\"},"
                + "{\"data\":[1,2]}]}";
        JsonNode task = result("SendMessage", "{\"message\":" + msg
                + ",\"configuration\":{\"returnImmediately\":true}}", "1.0").get("task");
        JsonNode old = result("tasks/get", "{\"id\":\"" + task.get("id").asText() + "\"}", "0.3")
                .at("/history/0/parts");
        assertEquals("file", old.at("/1/kind").asText());
        assertEquals("aGVsbG8=", old.at("/1/file/bytes").asText());
        assertEquals("text/plain", old.at("/1/file/mimeType").asText());
        assertEquals("https://example.org/b.png", old.at("/2/file/uri").asText());
        assertEquals("data", old.at("/3/kind").asText());
        assertEquals(2, old.at("/3/data/value/1").asInt(), "a 1.0 array data part is wrapped for 0.3 clients");
    }

    @Test
    void a03ShapeErrorsAndNamesOfTheOtherVersion() {
        JsonNode bad = a2a.post(rpc(1, "message/send", "{\"message\":{\"kind\":\"message\",\"messageId\":\"m\","
                + "\"role\":\"user\",\"parts\":[{\"kind\":\"file\",\"file\":{}}]}}"), A2AHttp.ALICE, "0.3").json();
        assertEquals(-32602, bad.at("/error/code").asInt());
        assertEquals(-32601, a2a.post(rpc(1, "SendMessage", "{}"), A2AHttp.ALICE, "0.3").json()
                .at("/error/code").asInt());
        assertEquals(-32602, a2a.post(rpc(1, "tasks/pushNotificationConfig/delete", "{\"id\":\"t\"}"),
                A2AHttp.ALICE, "0.3").json().at("/error/code").asInt(), "0.3 delete needs the config id");
    }

    @Test
    void a03PushConfigGetWithoutAnIdAnswersTheTasksFirstConfig() {
        JsonNode task = result("message/send", "{\"message\":" + message03("echo p", null) + "}", "0.3");
        String id = task.get("id").asText();
        assertEquals(-32001, a2a.post(rpc(1, "tasks/pushNotificationConfig/get", "{\"id\":\"" + id + "\"}"),
                A2AHttp.ALICE, "0.3").json().at("/error/code").asInt(), "no config yet");
        result("tasks/pushNotificationConfig/set", "{\"taskId\":\"" + id + "\",\"pushNotificationConfig\":"
                + "{\"id\":\"c1\",\"url\":\"http://127.0.0.1:9/hook\"}}", "0.3");
        JsonNode got = result("tasks/pushNotificationConfig/get", "{\"id\":\"" + id + "\"}", "0.3");
        assertEquals("c1", got.at("/pushNotificationConfig/id").asText());
    }

    @Test
    void idleStreamsGetKeepAliveComments() {
        try (A2AHttp.Stream s = a2a.stream(rpc(1, "SendStreamingMessage", "{\"message\":" + userMessage("hang", null)
                + "}"), A2AHttp.ALICE, "1.0")) {
            assertEquals("TASK_STATE_SUBMITTED", s.next().at("/result/task/status/state").asText());
            assertTrue(s.awaitComment(), "a keep-alive comment while the task is idle (test profile: every 1s)");
            assertEquals(": keep-alive", s.comments.get(s.comments.size() - 1));
        }
    }

    @Test
    void theCardsNeedAHostHeaderLikeEveryHttp11Request() {
        RawHttp.Answer a = RawHttp.send(endpoint, "GET /.well-known/agent-card.json HTTP/1.1", null);
        assertEquals(400, a.status(), a::toString);
        assertTrue(a.body().contains("Host") && !a.body().contains("Exception"), a.body());
        RawHttp.Answer http10 = RawHttp.send(endpoint, "GET /.well-known/agent.json HTTP/1.0", null);
        assertEquals(200, http10.status(), "HTTP/1.0 has no Host header to require");
        assertTrue(http10.body().contains("\"protocolVersion\":\"0.3.0\""), http10.body());
    }
}
