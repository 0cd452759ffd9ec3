package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * Thousands of malformed bodies (seeded, reproducible): every answer is a JSON-RPC response with a spec error code
 * (or a result, when a mutation happens to be valid), never a 5xx, never an internal error, never a stack trace.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class FuzzTest {
    static final Set<Integer> SPEC_CODES = Set.of(-32700, -32600, -32601, -32602, -32001, -32002, -32003, -32004,
            -32005, -32009);

    @TestHTTPResource("/a2a")
    URI endpoint;

    static final List<String> SEEDS = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":{\"messageId\":\"m\","
                    + "\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"echo fuzz\"}]},\"configuration\":"
                    + "{\"returnImmediately\":true}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"GetTask\",\"params\":{\"id\":\"t\",\"historyLength\":3}}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ListTasks\",\"params\":{\"pageSize\":5,\"status\":"
                    + "\"TASK_STATE_WORKING\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"CancelTask\",\"params\":{\"id\":\"t\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"CreateTaskPushNotificationConfig\",\"params\":{\"taskId\":"
                    + "\"t\",\"url\":\"file:///etc/passwd\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"message/send\",\"params\":{\"message\":{\"kind\":\"message\","
                    + "\"messageId\":\"m\",\"role\":\"user\",\"parts\":[{\"kind\":\"file\",\"file\":{\"bytes\":\"AA==\"}}]},"
                    + "\"configuration\":{\"blocking\":false}}}");

    static final String[] JUNK = {"null", "[null]", "{}", "[]", "\"\"", "-1", "1e999", "true", "{\"a\":",
        "99999999999999999999999", "\"\\u0000\"", "[[[[[[[[[[[[[[]]]]]]]]]]]]]]", "\"ROLE_USER\"", "{\"text\":null}",
        "{\"raw\":\"@@\"}", "{\"url\":\"\"}", "{\"data\":null}", "\"\\ud800\""};

    static String mutate(String seed, Random r) {
        StringBuilder s = new StringBuilder(seed);
        switch (r.nextInt(8)) {
            case 0 -> s.setLength(r.nextInt(s.length())); // truncated
            case 1 -> s.insert(r.nextInt(s.length()), (char) r.nextInt(0x80)); // stray character
            case 2 -> s.deleteCharAt(r.nextInt(s.length()));
            case 3 -> { // replace a value after a colon with junk
                List<Integer> colons = new ArrayList<>();
                for (int i = 0; i < s.length(); i++) {
                    if (s.charAt(i) == ':') {
                        colons.add(i);
                    }
                }
                int at = colons.get(r.nextInt(colons.size()));
                int end = at + 1;
                while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
                    end++;
                }
                s.replace(at + 1, end, JUNK[r.nextInt(JUNK.length)]);
            }
            case 4 -> { // deep nesting in params
                int depth = 50 + r.nextInt(5000);
                int p = s.indexOf("\"params\":") + 9;
                s.insert(p, "{\"x\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"y\":");
                s.insert(s.length() - 1, "}");
            }
            case 5 -> s.replace(0, s.length(), JUNK[r.nextInt(JUNK.length)]);
            case 6 -> { // duplicate keys and odd methods
                s.insert(1, "\"method\":\"" + (r.nextBoolean() ? "GetTask" : "tasks/get\\u0000") + "\",");
            }
            default -> { // random bytes
                byte[] b = new byte[1 + r.nextInt(64)];
                r.nextBytes(b);
                s.replace(0, s.length(), new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return s.toString();
    }

    @Test
    void thousandsOfMalformedBodiesGetOnlySpecErrors() {
        ScriptedWorker.shared();
        A2AHttp a2a = new A2AHttp(endpoint);
        Random random = new Random(20261125L);
        int errors = 0;
        for (int i = 0; i < 3000; i++) {
            String body = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            String version = random.nextInt(4) == 0 ? null : "1.0";
            A2AHttp.Reply reply = a2a.post(body, A2AHttp.ALICE, version);
            String context = "body #" + i + ": " + (body.length() > 200 ? body.substring(0, 200) : body);
            assertTrue(reply.status() < 500, () -> context + " -> " + reply.status() + " " + reply.body());
            assertTrue(!reply.body().contains("Exception") && !reply.body().contains("\tat "), context);
            JsonNode json = reply.json();
            assertEquals("2.0", json.path("jsonrpc").asText(), context);
            assertTrue(json.has("id"), context);
            if (json.has("error")) {
                errors++;
                int code = json.at("/error/code").asInt();
                assertTrue(SPEC_CODES.contains(code), () -> context + " -> " + json);
            } else {
                assertTrue(json.has("result"), context);
            }
        }
        assertTrue(errors > 2500, "the fuzzer mostly produced invalid requests: " + errors);
    }
}
