package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.gateway.support.A2AHttp.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/** The A2A 0.3 method names and wire shapes on the same endpoint. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JsonRpcV03Test {
    @TestHTTPResource("/a2a")
    URI endpoint;

    A2AHttp a2a;

    @BeforeEach
    void setUp() {
        a2a = new A2AHttp(endpoint);
        ScriptedWorker.shared();
    }

    static String message(String text, String extra) {
        return "{\"kind\":\"message\",\"messageId\":\"" + UUID.randomUUID() + "\",\"role\":\"user\",\"parts\":"
                + "[{\"kind\":\"text\",\"text\":\"" + text + "\"}]" + (extra == null ? "" : "," + extra) + "}";
    }

    private JsonNode call(String method, String params, String version) {
        JsonNode r = a2a.post(rpc(1, method, params), A2AHttp.ALICE, version).json();
        assertNull(r.get("error"), () -> r.toString());
        return r.get("result");
    }

    @Test
    void messageSendReturnsA03Task() {
        JsonNode task = call("message/send", "{\"message\":" + message("echo old", null) + "}", "0.3");
        assertEquals("task", task.get("kind").asText());
        assertEquals("completed", task.at("/status/state").asText());
        assertEquals("echo: echo old", task.at("/artifacts/0/parts/0/text").asText());
        assertEquals("text", task.at("/artifacts/0/parts/0/kind").asText());
        assertEquals("user", task.at("/history/0/role").asText());
        JsonNode got = call("tasks/get", "{\"id\":\"" + task.get("id").asText() + "\"}", null);
        assertEquals("completed", got.at("/status/state").asText());
    }

    @Test
    void withoutAVersionHeaderTheMethodNameDecides() {
        JsonNode task = call("message/send", "{\"message\":" + message("ask", null) + "}", null);
        assertEquals("input-required", task.at("/status/state").asText());
        JsonNode next = call("message/send", "{\"message\":" + message("main", "\"taskId\":\"" + task.get("id").asText()
                + "\"") + "}", null);
        assertEquals("completed", next.at("/status/state").asText());
    }

    @Test
    void messageStreamUsesKindsAndFinal() {
        try (A2AHttp.Stream s = a2a.stream(rpc(2, "message/stream", "{\"message\":" + message("chunks 2", null) + "}"),
                A2AHttp.ALICE, "0.3")) {
            List<String> kinds = new ArrayList<>();
            JsonNode last = null;
            for (JsonNode e : s.rest()) {
                kinds.add(e.at("/result/kind").asText());
                last = e.get("result");
            }
            assertEquals(List.of("task", "status-update", "artifact-update", "artifact-update", "status-update"),
                    kinds);
            assertTrue(last.get("final").asBoolean());
            assertEquals("completed", last.at("/status/state").asText());
        }
    }

    @Test
    void cancelAndResubscribe() {
        JsonNode task = call("message/send", "{\"message\":" + message("hang", null)
                + ",\"configuration\":{\"blocking\":false}}", "0.3");
        String id = task.get("id").asText();
        JsonNode canceled = call("tasks/cancel", "{\"id\":\"" + id + "\"}", "0.3");
        assertEquals("canceled", canceled.at("/status/state").asText());
        JsonNode refused = a2a.post(rpc(1, "tasks/resubscribe", "{\"id\":\"" + id + "\"}"), A2AHttp.ALICE, "0.3")
                .json();
        assertEquals(-32004, refused.at("/error/code").asInt());
        JsonNode again = a2a.post(rpc(1, "tasks/cancel", "{\"id\":\"" + id + "\"}"), A2AHttp.ALICE, "0.3").json();
        assertEquals(-32002, again.at("/error/code").asInt());
    }

    @Test
    void pushConfigSetGetListDelete() {
        JsonNode task = call("message/send", "{\"message\":" + message("echo p", null) + "}", "0.3");
        String id = task.get("id").asText();
        JsonNode set = call("tasks/pushNotificationConfig/set", "{\"taskId\":\"" + id + "\",\"pushNotificationConfig\":"
                + "{\"id\":\"c1\",\"url\":\"http://127.0.0.1:9/hook\",\"token\":\"t\",\"authentication\":"
                + "{\"schemes\":[\"Bearer\"],\"credentials\":\"secret-cred\"}}}", "0.3");
        assertEquals("c1", set.at("/pushNotificationConfig/id").asText());
        assertTrue(!set.toString().contains("secret-cred"), "credentials are write-only");
        JsonNode got = call("tasks/pushNotificationConfig/get", "{\"id\":\"" + id + "\",\"pushNotificationConfigId\":\"c1\"}",
                "0.3");
        assertEquals("http://127.0.0.1:9/hook", got.at("/pushNotificationConfig/url").asText());
        JsonNode list = call("tasks/pushNotificationConfig/list", "{\"id\":\"" + id + "\"}", "0.3");
        assertEquals(1, list.size());
        JsonNode deleted = call("tasks/pushNotificationConfig/delete", "{\"id\":\"" + id
                + "\",\"pushNotificationConfigId\":\"c1\"}", "0.3");
        assertTrue(deleted.isNull());
        assertEquals(0, call("tasks/pushNotificationConfig/list", "{\"id\":\"" + id + "\"}", "0.3").size());
    }

    @Test
    void extendedCardAndA03ShapeErrors() {
        JsonNode card = call("agent/getAuthenticatedExtendedCard", "{}", "0.3");
        assertEquals("0.3.0", card.get("protocolVersion").asText());
        JsonNode bad = a2a.post(rpc(1, "message/send", "{\"message\":{\"kind\":\"message\",\"messageId\":\"m\","
                + "\"role\":\"user\",\"parts\":[{\"kind\":\"file\",\"file\":{}}]}}"), A2AHttp.ALICE, "0.3").json();
        assertEquals(-32602, bad.at("/error/code").asInt());
        JsonNode pascal = a2a.post(rpc(1, "SendMessage", "{}"), A2AHttp.ALICE, "0.3").json();
        assertEquals(-32601, pascal.at("/error/code").asInt());
    }
}
