package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.gateway.support.A2AHttp.rpc;
import static run.codetether.gateway.support.A2AHttp.userMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;

/** Every JSON-RPC and A2A error code, with the id rules JSON-RPC sets, and the HTTP-level refusals. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JsonRpcErrorsTest {
    @TestHTTPResource("/a2a")
    URI endpoint;

    @TestHTTPResource("/")
    URI root;

    A2AHttp a2a;

    @BeforeEach
    void setUp() {
        a2a = new A2AHttp(endpoint);
    }

    private JsonNode error(String body) {
        A2AHttp.Reply r = a2a.post(body, A2AHttp.ALICE, "1.0");
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals("2.0", json.get("jsonrpc").asText());
        assertTrue(json.has("id"), "id member is always present: " + json);
        assertFalse(json.has("result"));
        return json;
    }

    @Test
    void parseErrorHasNullId() {
        JsonNode e = error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertEquals(-32700, e.at("/error/code").asInt());
        assertTrue(e.get("id").isNull());
    }

    @Test
    void invalidRequests() {
        assertEquals(-32600, error("[]").at("/error/code").asInt());
        assertEquals(-32600, error("42").at("/error/code").asInt());
        JsonNode noVersion = error("{\"id\":5,\"method\":\"GetTask\",\"params\":{}}");
        assertEquals(-32600, noVersion.at("/error/code").asInt());
        assertEquals(5, noVersion.get("id").asInt());
        assertEquals(-32600, error("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"GetTask\"}").at("/error/code").asInt());
        assertEquals(-32600, error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}").at("/error/code").asInt());
        assertEquals(-32600, error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":\"x\"}")
                .at("/error/code").asInt());
        assertEquals(-32600, error("{\"jsonrpc\":\"2.0\",\"method\":\"GetTask\"}").at("/error/code").asInt());
    }

    @Test
    void idsComeBackExactlyEvenBeyond64Bits() {
        String big = "123456789012345678901234567890";
        JsonNode e = error("{\"jsonrpc\":\"2.0\",\"id\":" + big + ",\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}");
        assertEquals(big, e.get("id").bigIntegerValue().toString());
        JsonNode l = error("{\"jsonrpc\":\"2.0\",\"id\":9007199254740993,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}");
        assertEquals(9007199254740993L, l.get("id").longValue());
        JsonNode s = error(rpc("abc", "GetTask", "{\"id\":\"x\"}"));
        assertEquals("abc", s.get("id").asText());
    }

    @Test
    void unknownMethodIsMethodNotFound() {
        JsonNode e = error(rpc(3, "tasks/teleport", "{}"));
        assertEquals(-32601, e.at("/error/code").asInt());
        assertEquals(3, e.get("id").asInt());
        // a 0.3 name under an explicit 1.0 header is not a 1.0 method
        assertEquals(-32601, error(rpc(3, "tasks/get", "{\"id\":\"x\"}")).at("/error/code").asInt());
    }

    @Test
    void invalidParams() {
        assertEquals(-32602, error(rpc(1, "GetTask", "{}")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "GetTask", "[1]")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "GetTask", "{\"id\":\"x\",\"historyLength\":-1}")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\","
                + "\"parts\":[null]}}")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\","
                + "\"parts\":[]}}")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\","
                + "\"parts\":[{\"text\":\"a\",\"url\":\"http://x\"}]}}")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_AGENT\","
                + "\"parts\":[{\"text\":\"a\"}]}}")).at("/error/code").asInt());
        assertEquals(-32602, error(rpc(1, "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\","
                + "\"parts\":[{\"raw\":\"not base64!!\"}]}}")).at("/error/code").asInt());
        JsonNode kind = error(rpc(1, "SendMessage", "{\"message\":{\"kind\":\"message\",\"messageId\":\"m\","
                + "\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"a\"}]}}"));
        assertEquals(-32602, kind.at("/error/code").asInt());
        assertTrue(kind.at("/error/message").asText().contains("0.3"));
    }

    @Test
    void deepJsonIsRefusedCleanly() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        JsonNode e = error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":" + deep + "}}");
        assertEquals(-32600, e.at("/error/code").asInt());
    }

    @Test
    void a2aSpecificErrorsCarryErrorInfo() {
        JsonNode e = error(rpc(1, "GetTask", "{\"id\":\"no-such-task\"}"));
        assertEquals(-32001, e.at("/error/code").asInt());
        assertEquals("type.googleapis.com/google.rpc.ErrorInfo", e.at("/error/data/0/@type").asText());
        assertEquals("TASK_NOT_FOUND", e.at("/error/data/0/reason").asText());
        assertEquals("a2a-protocol.org", e.at("/error/data/0/domain").asText());
        assertEquals("no-such-task", e.at("/error/data/0/metadata/taskId").asText());
        assertEquals(-32001, error(rpc(1, "CancelTask", "{\"id\":\"no-such-task\"}")).at("/error/code").asInt());
        assertEquals(-32001, error(rpc(1, "SubscribeToTask", "{\"id\":\"no-such-task\"}")).at("/error/code").asInt());
        assertEquals(-32001, error(rpc(1, "SendMessage", "{\"message\":" + userMessage("x",
                "\"taskId\":\"no-such-task\"") + "}")).at("/error/code").asInt());
    }

    @Test
    void contentTypeNotSupported() {
        assertEquals(-32005, error(rpc(1, "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\","
                + "\"parts\":[{\"url\":\"https://example.org/v.mp4\",\"mediaType\":\"video/mp4\"}]}}"))
                .at("/error/code").asInt());
        assertEquals(-32005, error(rpc(1, "SendMessage", "{\"message\":" + userMessage("x", null)
                + ",\"configuration\":{\"acceptedOutputModes\":[\"audio/wav\"]}}")).at("/error/code").asInt());
    }

    @Test
    void unsupportedVersion() {
        A2AHttp.Reply r = a2a.post(rpc(9, "GetTask", "{\"id\":\"x\"}"), A2AHttp.ALICE, "2.7");
        JsonNode e = r.json();
        assertEquals(-32009, e.at("/error/code").asInt());
        assertEquals(9, e.get("id").asInt());
        assertEquals("VERSION_NOT_SUPPORTED", e.at("/error/data/0/reason").asText());
    }

    @Test
    void authAndSizeRefusalsAreJson() {
        A2AHttp.Reply none = a2a.post(rpc(1, "GetTask", "{\"id\":\"x\"}"), null, "1.0");
        assertEquals(401, none.status());
        assertTrue(none.headers().containsKey("www-authenticate"));
        assertEquals(-31001, none.json().at("/error/code").asInt());
        A2AHttp.Reply wrong = a2a.post(rpc(1, "GetTask", "{\"id\":\"x\"}"), "not-a-valid-key", "1.0");
        assertEquals(401, wrong.status());
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"" + "x".repeat(1_100_000)
                + "\"}}";
        A2AHttp.Reply big = a2a.post(huge, A2AHttp.ALICE, "1.0");
        assertEquals(413, big.status());
        assertEquals(-32600, big.json().at("/error/code").asInt(), "the standard code A2A clients expect");
        assertFalse(big.body().contains("Exception"));
    }

    @Test
    void rootPathServesTheSameEndpoint() {
        A2AHttp.Reply r = A2AHttp.post(root, rpc(1, "GetTask", "{\"id\":\"x\"}"), A2AHttp.ALICE, "1.0");
        assertEquals(-32001, r.json().at("/error/code").asInt());
    }

    @Test
    void agentCardsArePublic() {
        JsonNode card = io.restassured.RestAssured.get("/.well-known/agent-card.json").then().statusCode(200)
                .extract().as(JsonNode.class);
        assertEquals("CodeTether", card.get("name").asText());
        assertTrue(card.at("/capabilities/streaming").asBoolean());
        assertTrue(card.at("/capabilities/pushNotifications").asBoolean());
        assertTrue(card.at("/capabilities/extendedAgentCard").asBoolean());
        assertTrue(card.has("securitySchemes"));
        assertEquals(4, card.get("skills").size());
        assertTrue(card.get("supportedInterfaces").toString().contains("\"protocolVersion\":\"0.3\""));
        JsonNode old = io.restassured.RestAssured.get("/.well-known/agent.json").then().statusCode(200)
                .extract().as(JsonNode.class);
        assertEquals("0.3.0", old.get("protocolVersion").asText());
        assertTrue(old.at("/capabilities/stateTransitionHistory").asBoolean());
    }
}
