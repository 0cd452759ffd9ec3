package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Failure;
import run.codetether.gateway.support.binding.Params;

/**
 * Admission control (issue 19 item 4) on every binding: a client with {@code max-in-flight-per-client} tasks
 * submitted or working is refused with the binding's retryable error (JSON-RPC -31005 with HTTP 429, HTTP+JSON 429,
 * gRPC RESOURCE_EXHAUSTED; the adapters check each against the error table), another client is still admitted
 * (fairness), and a slot frees as soon as one of the tasks ends. Clients carol, dave and erin exist only here, so tasks
 * other classes left running on the shared broker do not count against them.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
@TestProfile(AdmissionConformanceTest.Caps.class)
class AdmissionConformanceTest {
    static final String CAROL = "test-key-carol-8901";
    static final String DAVE = "test-key-dave-23456";
    static final String ERIN = "test-key-erin-34567";
    static final int CAP = 3;

    public static final class Caps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("codetether.gateway.limits.max-in-flight-per-client", String.valueOf(CAP),
                    "codetether.gateway.limits.max-in-flight", "100000",
                    "codetether.gateway.limits.retry-after", "2s",
                    "codetether.gateway.auth.api-keys", "alice:" + A2AHttp.ALICE + ",bob:" + A2AHttp.BOB
                            + ",carol:" + CAROL + ",dave:" + DAVE + ",erin:" + ERIN);
        }
    }

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aClientAtItsCapIsRefusedRetryablyWhileAnotherIsServed(Binding b) {
        Binding carol = b.as(CAROL);
        List<String> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(Conformance.submit(carol, "hang " + i).get("id").asText());
            }
            Failure refused = carol.call(Operation.SEND, Params.returnImmediately(Params.send("hang over"))).fails(
                    "TOO_MANY_TASKS");
            assertTrue(refused.message().contains("at most " + CAP) && refused.message().contains("retry after 2 s"),
                    refused.message());

            Binding dave = b.as(DAVE);
            String other = Conformance.submit(dave, "echo fair").get("id").asText();
            Conformance.awaitState(dave, other, "TASK_STATE_COMPLETED");

            carol.call(Operation.CANCEL, Params.id(held.remove(0))).ok();
            held.add(Conformance.submit(carol, "hang again").get("id").asText());
        } finally {
            for (String id : held) {
                carol.call(Operation.CANCEL, Params.id(id)).ok();
            }
        }
    }

    @Test
    void theJsonRpcRefusalCarriesRetryAfterAndTheRetryHint() {
        List<String> held = new ArrayList<>();
        try {
            A2AHttp.Reply reply = sendPastTheCap(CAROL, "hang ", held);
            assertEquals(429, reply.status(), reply.body());
            assertEquals(List.of("2"), reply.headers().get("retry-after"), reply.headers().toString());
            JsonNode error = reply.json().get("error");
            assertEquals(-31005, error.get("code").asInt(), reply.body());
            assertEquals(2, error.at("/data/retryAfterSeconds").asInt(), reply.body());
        } finally {
            cancel(CAROL, held);
        }
    }

    @Test
    void refusalsAreCountedByReasonInTheMetricsTheDashboardReads() {
        URI metrics = root().resolve("q/metrics");
        double capBefore = rejected(metrics, "client_in_flight");
        double authBefore = rejected(metrics, "unauthenticated");
        List<String> held = new ArrayList<>();
        try {
            sendPastTheCap(ERIN, "hang m", held);
            assertEquals(401, A2AHttp.post(a2a(), A2AHttp.rpc(9, "GetTask", "{\"id\":\"x\"}"), "not-a-key-0000",
                    "1.0").status());
            assertEquals(capBefore + 1, rejected(metrics, "client_in_flight"));
            assertEquals(authBefore + 1, rejected(metrics, "unauthenticated"));
            assertTrue(A2AHttp.send("GET", metrics, null, null, null).body()
                    .contains("codetether_gateway_tasks_in_flight "), "the in-flight gauge is exported");
        } finally {
            cancel(ERIN, held);
        }
    }

    private static URI root() {
        return URI.create("http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port",
                Integer.class) + "/");
    }

    private static URI a2a() {
        return root().resolve("a2a");
    }

    /**
     * CAP + 1 non-blocking JSON-RPC 1.0 sends ({@code text} and a number) as {@code key}, written by hand to see the
     * HTTP answer whole; the accepted tasks' ids go to {@code held}. Returns the last answer (the refused one).
     */
    private static A2AHttp.Reply sendPastTheCap(String key, String text, List<String> held) {
        A2AHttp.Reply reply = null;
        for (int i = 0; i <= CAP; i++) {
            reply = A2AHttp.post(a2a(), A2AHttp.rpc(i, "SendMessage", "{\"message\":" + A2AHttp.userMessage(
                    text + i, null) + ",\"configuration\":{\"returnImmediately\":true}}"), key, "1.0");
            JsonNode id = reply.json().at("/result/task/id");
            if (!id.isMissingNode()) {
                held.add(id.asText());
            }
        }
        return reply;
    }

    private static void cancel(String key, List<String> held) {
        for (String id : held) {
            A2AHttp.post(a2a(), A2AHttp.rpc("c", "CancelTask", "{\"id\":\"" + id + "\"}"), key, "1.0");
        }
    }

    private static double rejected(URI metrics, String reason) {
        String prefix = "codetether_gateway_admission_rejected_total{reason=\"" + reason + "\"} ";
        for (String line : A2AHttp.send("GET", metrics, null, null, null).body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        throw new AssertionError("not exported: " + prefix);
    }
}
