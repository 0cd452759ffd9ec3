package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.gateway.support.A2AHttp.userMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * Webhook delivery to a loopback receiver (the test profile allows private targets; the strict policy is tested in
 * GuardsTest without any connection). The receiver fails its first call to prove retries. The config operations
 * and delivery in each version's shape run on every binding in {@code conformance.PushConfigConformanceTest}.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class PushNotificationTest {
    record Received(String authorization, String token, JsonNode body) {}

    @TestHTTPResource("/a2a")
    URI endpoint;

    A2AHttp a2a;
    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        ScriptedWorker.shared();
        a2a = new A2AHttp(endpoint);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() == 1) {
                ex.sendResponseHeaders(503, -1); // first delivery fails: the dispatcher must retry
                ex.close();
                return;
            }
            received.add(new Received(ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("X-A2A-Notification-Token"),
                    A2AHttp.JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
    }

    String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void createdConfigGetsUpdatesWithAuthAfterARetry() {
        JsonNode task = a2a.call("SendMessage", "{\"message\":" + userMessage("hang", null)
                + ",\"configuration\":{\"returnImmediately\":true}}").at("/result/task");
        String id = task.get("id").asText();
        JsonNode created = a2a.call("CreateTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"url\":\""
                + hook() + "\",\"token\":\"tok-1\",\"authentication\":{\"scheme\":\"Bearer\",\"credentials\":"
                + "\"push-secret\"}}");
        assertNull(created.get("error"), created::toString);
        String configId = created.at("/result/id").asText();
        assertFalse(configId.isEmpty());
        assertFalse(created.toString().contains("push-secret"), "credentials are never read back");
        assertEquals(hook(), a2a.call("GetTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\""
                + configId + "\"}").at("/result/url").asText());
        assertEquals(1, a2a.call("ListTaskPushNotificationConfigs", "{\"taskId\":\"" + id + "\"}")
                .at("/result/configs").size());

        ScriptedWorker.shared().status(id, task.get("contextId").asText(), TaskState.COMPLETED, "pushed");
        Received r = Await.until(() -> received.stream()
                .filter(x -> x.body().at("/statusUpdate/status/state").asText().equals("TASK_STATE_COMPLETED"))
                .findFirst().orElse(null), x -> x != null, Duration.ofSeconds(20), "completed notification");
        assertEquals("Bearer push-secret", r.authorization());
        assertEquals("tok-1", r.token());
        assertEquals(id, r.body().at("/statusUpdate/taskId").asText());
        assertTrue(calls.get() >= 2, "the failed first delivery was retried");

        JsonNode deleted = a2a.call("DeleteTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\""
                + configId + "\"}");
        assertNull(deleted.get("error"));
        assertEquals(-32001, a2a.call("GetTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\""
                + configId + "\"}").at("/error/code").asInt());
    }
}
