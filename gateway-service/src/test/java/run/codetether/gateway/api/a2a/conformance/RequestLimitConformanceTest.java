package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.RawHttp;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Failure;
import run.codetether.gateway.support.binding.Params;

/**
 * Every request but a message send is held to {@code codetether.gateway.max-request-bytes} (default 64 KiB) on every
 * binding, with each binding's standard size error (JSON-RPC -32600 with HTTP 413, HTTP+JSON 413, gRPC
 * RESOURCE_EXHAUSTED), while a send keeps its own, larger limit; JSON-RPC refuses such a request before it has read
 * the body to its end.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class RequestLimitConformanceTest {
    /** Over max-request-bytes (65,536), far under max-body-bytes (1 MiB). */
    private static final int OVER = 80_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void anOversizedReadIsRefusedWithTheStandardErrorNamingTheKey(Binding b) {
        Failure get = b.getOversized(OVER).fails("PAYLOAD_TOO_LARGE");
        assertTrue(get.message().contains("limit of 65536 bytes") && get.message().contains("max-request-bytes"),
                get.message());
        Failure cancel = Conformance.oversizedCancel(b, OVER).fails("PAYLOAD_TOO_LARGE");
        assertTrue(cancel.message().contains("limit of 65536 bytes"), cancel.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aReadJustUnderTheLimitIsServed(Binding b) {
        // padded to just under the limit: it passes the size check and reaches the handler (no such task)
        var underLimit = b.getOversized(60_000);
        assertTrue(underLimit.failure() == null || !underLimit.failure().reason().equals("PAYLOAD_TOO_LARGE"),
                () -> b + ": " + underLimit.failure());
        String id = Conformance.submit(b, "echo limits " + UUID.randomUUID()).get("id").asText();
        assertEquals(id, Conformance.get(b, id).get("id").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aSendLargerThanMaxRequestBytesStillWorks(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("echo big send " + UUID.randomUUID()));
        ((ArrayNode) Params.message(p).get("parts")).addObject().put("text", "y".repeat(400_000));
        JsonNode task = b.call(Operation.SEND, p).ok().get("task");
        assertEquals("TASK_STATE_SUBMITTED", task.at("/status/state").asText(), task::toString);
    }

    /** The JSON-RPC reader refuses once the method is known and the limit passed: the rest is never sent. */
    @Test
    void jsonRpcRefusesAnOversizedGetTaskBeforeItsBodyEnds() {
        for (String[] method : new String[][] {{"GetTask", "1.0"}, {"tasks/get", "0.3"}}) {
            byte[] prefix = ("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method[0] + "\",\"params\":{\"id\":\"x\","
                    + "\"pad\":\"" + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
            RawHttp.Answer a = RawHttp.sendPrefix(a2a(), "POST /a2a HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + "Bearer " + A2AHttp.ALICE + "\r\nA2A-Version: " + method[1] + "\r\nContent-Type: application/json",
                    900_000, prefix);
            assertEquals(413, a.status(), a::toString);
            JsonNode error = json(a.body()).get("error");
            assertEquals(-32600, error.get("code").asInt(), a::toString);
            assertTrue(error.get("message").asText().contains("max-request-bytes"), a::toString);
            assertEquals(7, json(a.body()).get("id").asInt(), "the id read before the refusal is echoed");
        }
    }

    /** JSON does not order members: a method after the padding is refused once the whole body is read. */
    @Test
    void jsonRpcRefusesAnOversizedGetTaskWhoseMethodComesLast() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":8,\"params\":{\"id\":\"x\",\"pad\":\"" + "x".repeat(OVER)
                + "\"},\"method\":\"GetTask\"}";
        A2AHttp.Reply r = A2AHttp.post(a2a(), body, A2AHttp.ALICE, "1.0");
        assertEquals(413, r.status(), r::body);
        assertEquals(-32600, r.json().at("/error/code").asInt(), r::body);
        assertEquals(8, r.json().get("id").asInt(), r::body);
    }

    private static URI a2a() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return URI.create("http://127.0.0.1:" + port + "/a2a");
    }

    private static JsonNode json(String text) {
        try {
            return A2AHttp.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
