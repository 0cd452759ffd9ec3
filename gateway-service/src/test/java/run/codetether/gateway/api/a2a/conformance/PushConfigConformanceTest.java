package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.PushReceiver;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Params;

/**
 * The push notification config operations on every binding, and delivery in the shape of the version a config
 * was created over (a loopback receiver; the test profile allows private targets).
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class PushConfigConformanceTest {
    PushReceiver receiver;

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
        receiver = new PushReceiver(0);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    String hook() {
        return receiver.url();
    }

    static ObjectNode config(String taskId, String url) {
        ObjectNode c = Params.taskId(taskId, "url", url, "token", "t-1");
        c.putObject("authentication").put("scheme", "Bearer").put("credentials", "push-secret");
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void createGetListDelete(Binding b) {
        String id = b.call(Operation.SEND, Params.send("echo p")).ok().at("/task/id").asText();
        JsonNode created = b.call(Operation.PUSH_CREATE, config(id, "http://127.0.0.1:9/hook")).ok();
        String configId = created.path("id").asText();
        assertFalse(configId.isEmpty(), "the gateway assigns an id");
        assertEquals(id, created.path("taskId").asText());
        assertFalse(created.toString().contains("push-secret"), "credentials are write-only");
        JsonNode got = b.call(Operation.PUSH_GET, Params.taskId(id, "id", configId)).ok();
        assertEquals("http://127.0.0.1:9/hook", got.path("url").asText());
        assertEquals("t-1", got.path("token").asText());
        assertEquals("Bearer", got.at("/authentication/scheme").asText());
        assertFalse(got.toString().contains("push-secret"));
        assertEquals(1, b.call(Operation.PUSH_LIST, Params.taskId(id)).ok().path("configs").size());
        b.call(Operation.PUSH_DELETE, Params.taskId(id, "id", configId)).ok();
        b.call(Operation.PUSH_GET, Params.taskId(id, "id", configId)).fails("TASK_NOT_FOUND");
        assertEquals(0, b.call(Operation.PUSH_LIST, Params.taskId(id)).ok().path("configs").size());
        b.call(Operation.PUSH_DELETE, Params.taskId(id, "id", configId)).fails("TASK_NOT_FOUND");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void badConfigsAndMissingTasksAreRefused(Binding b) {
        String id = b.call(Operation.SEND, Params.send("echo x")).ok().at("/task/id").asText();
        for (String url : List.of("file:///etc/passwd", "gopher://127.0.0.1/", "http://nowhere.invalid/hook")) {
            b.call(Operation.PUSH_CREATE, config(id, url)).fails("INVALID_PARAMS");
        }
        b.call(Operation.PUSH_CREATE, Params.taskId(id)).fails("INVALID_PARAMS");
        b.call(Operation.PUSH_CREATE, config("no-such-task", hook())).fails("TASK_NOT_FOUND");
        b.as(A2AHttp.BOB).call(Operation.PUSH_LIST, Params.taskId(id)).fails("TASK_NOT_FOUND");
        ObjectNode send = Params.send("echo y");
        Params.config(send).putObject("taskPushNotificationConfig").put("url", "file:///x");
        b.call(Operation.SEND, send).fails("INVALID_PARAMS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aConfigGetsUpdatesInTheShapeOfItsClientsVersion(Binding b) {
        JsonNode task = Conformance.submit(b, "hang");
        String id = task.get("id").asText();
        b.call(Operation.PUSH_CREATE, config(id, hook())).ok();
        ScriptedWorker.shared().status(id, task.get("contextId").asText(), TaskState.COMPLETED, "pushed");
        boolean v03 = b.name().endsWith("0.3");
        PushReceiver.Received r = Await.until(() -> receiver.received.stream().filter(x -> v03
                        ? x.body().path("kind").asText().equals("status-update")
                                && x.body().at("/status/state").asText().equals("completed")
                        : x.body().at("/statusUpdate/status/state").asText().equals("TASK_STATE_COMPLETED"))
                .findFirst().orElse(null), x -> x != null, Duration.ofSeconds(20), b + " completed notification");
        assertEquals("Bearer push-secret", r.authorization());
        assertEquals("t-1", r.token());
        assertEquals(id, v03 ? r.body().path("taskId").asText() : r.body().at("/statusUpdate/taskId").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aConfigGivenWithTheMessageIsUsed(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("echo with push"));
        Params.config(p).putObject("taskPushNotificationConfig").put("url", hook());
        String id = b.call(Operation.SEND, p).ok().at("/task/id").asText();
        Await.until(() -> receiver.received.stream().anyMatch(x -> x.body().toString().contains(id)
                && (x.body().at("/statusUpdate/status/state").asText().equals("TASK_STATE_COMPLETED")
                        || x.body().at("/status/state").asText().equals("completed"))), ok -> ok,
                Duration.ofSeconds(20), b + " notification for a config given at send time");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aBlockingSendWithAConfigIsNotifiedOfItsEnd(Binding b) {
        // the config is stored before a worker is asked: a send that returns only at the end is still notified
        ObjectNode p = Params.send("echo blocking with push");
        Params.config(p).putObject("taskPushNotificationConfig").put("url", hook());
        JsonNode sent = b.call(Operation.SEND, p).ok();
        String id = sent.has("task") ? sent.at("/task/id").asText() : sent.path("id").asText();
        Await.until(() -> receiver.received.stream().anyMatch(x -> x.body().toString().contains(id)
                && (x.body().at("/statusUpdate/status/state").asText().equals("TASK_STATE_COMPLETED")
                        || x.body().at("/status/state").asText().equals("completed"))), ok -> ok,
                Duration.ofSeconds(20), b + " notification for a blocking send");
    }
}
