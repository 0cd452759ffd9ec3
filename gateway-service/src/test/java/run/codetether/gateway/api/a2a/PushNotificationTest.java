package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.gateway.support.A2AHttp.userMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.PushReceiver;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * Webhook delivery to a loopback receiver (the test profile allows private targets; the strict policy is tested in
 * GuardsTest without any connection). The receiver fails its first call to prove retries. The config operations
 * and delivery in each version's shape run on every binding in {@code conformance.PushConfigConformanceTest}.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class PushNotificationTest {
    @TestHTTPResource("/a2a")
    URI endpoint;

    A2AHttp a2a;
    PushReceiver receiver;

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
        a2a = new A2AHttp(endpoint);
        receiver = new PushReceiver(1); // the first delivery fails: the dispatcher must retry
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    String hook() {
        return receiver.url();
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
        PushReceiver.Received r = Await.until(() -> receiver.received.stream()
                .filter(x -> x.body().at("/statusUpdate/status/state").asText().equals("TASK_STATE_COMPLETED"))
                .findFirst().orElse(null), x -> x != null, Duration.ofSeconds(20), "completed notification");
        assertEquals("Bearer push-secret", r.authorization());
        assertEquals("tok-1", r.token());
        assertEquals(id, r.body().at("/statusUpdate/taskId").asText());
        assertTrue(receiver.calls() >= 2, "the failed first delivery was retried");

        JsonNode deleted = a2a.call("DeleteTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\""
                + configId + "\"}");
        assertNull(deleted.get("error"));
        assertEquals(-32001, a2a.call("GetTaskPushNotificationConfig", "{\"taskId\":\"" + id + "\",\"id\":\""
                + configId + "\"}").at("/error/code").asInt());
    }
}
