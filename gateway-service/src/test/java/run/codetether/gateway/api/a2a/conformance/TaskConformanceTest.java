package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.LiveStream;
import run.codetether.gateway.support.binding.Params;

/** GetTask, ListTasks, CancelTask and tenants on every binding, with who may see which task. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class TaskConformanceTest {
    ScriptedWorker worker;

    @BeforeEach
    void setUp() {
        worker = ScriptedWorker.shared();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void getTaskAnswersOnlyTheClientThatOwnsTheTask(Binding b) {
        JsonNode task = b.call(Operation.SEND, Params.send("echo mine")).ok().get("task");
        String id = task.get("id").asText();
        JsonNode got = b.call(Operation.GET, Params.id(id)).ok();
        assertEquals(id, got.get("id").asText());
        assertEquals(task.get("contextId").asText(), got.get("contextId").asText());
        assertEquals("TASK_STATE_COMPLETED", got.at("/status/state").asText());
        assertTrue(got.at("/status/timestamp").asText().endsWith("Z"), "ISO 8601 UTC timestamps");
        b.as(A2AHttp.BOB).call(Operation.GET, Params.id(id)).fails("TASK_NOT_FOUND");
        b.call(Operation.GET, Params.id("no-such-task")).fails("TASK_NOT_FOUND");
        b.call(Operation.GET, Params.id(id, "historyLength", -1)).fails("INVALID_PARAMS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#withListTasks")
    void listTasksFiltersPagesAndShowsOnlyTheCallersTasks(Binding b) {
        String ctx = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            ObjectNode p = Params.send("echo " + i);
            Params.message(p).put("contextId", ctx);
            b.call(Operation.SEND, p).ok();
        }
        JsonNode page1 = b.call(Operation.LIST, Params.of("contextId", ctx, "pageSize", 2)).ok();
        assertEquals(2, page1.get("tasks").size());
        assertEquals(3, page1.path("totalSize").asInt());
        assertEquals(2, page1.path("pageSize").asInt());
        assertFalse(page1.at("/tasks/0").has("artifacts"), "artifacts omitted unless includeArtifacts");
        String token = page1.path("nextPageToken").asText();
        assertFalse(token.isEmpty());
        JsonNode page2 = b.call(Operation.LIST, Params.of("contextId", ctx, "pageSize", 2, "pageToken", token,
                "includeArtifacts", true)).ok();
        assertEquals(1, page2.get("tasks").size());
        assertEquals("", page2.path("nextPageToken").asText());
        assertTrue(page2.at("/tasks/0").has("artifacts"));
        assertEquals(3, b.call(Operation.LIST, Params.of("contextId", ctx, "status", "TASK_STATE_COMPLETED")).ok()
                .get("tasks").size());
        assertEquals(0, b.call(Operation.LIST, Params.of("contextId", ctx, "status", "TASK_STATE_WORKING")).ok()
                .path("tasks").size());
        assertEquals(0, b.as(A2AHttp.BOB).call(Operation.LIST, Params.of("contextId", ctx)).ok().path("tasks").size());
        b.call(Operation.LIST, Params.of("pageSize", 1000)).fails("INVALID_PARAMS");
        b.call(Operation.LIST, Params.of("pageToken", "garbage!")).fails("INVALID_PARAMS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void cancelReachesTheWorkersAndIsFinal(Binding b) {
        JsonNode task = Conformance.submit(b, "hang");
        String id = task.get("id").asText();
        Conformance.awaitState(b, id, "TASK_STATE_WORKING");
        b.as(A2AHttp.BOB).call(Operation.CANCEL, Params.id(id)).fails("TASK_NOT_FOUND");
        JsonNode canceled = b.call(Operation.CANCEL, Params.id(id)).ok();
        assertEquals("TASK_STATE_CANCELED", canceled.at("/status/state").asText());
        assertEquals("TASK_STATE_CANCELED", Conformance.get(b, id).at("/status/state").asText(),
                "a GetTask right after the cancel sees it");
        TaskControl signal = Await.until(() -> worker.controls.stream().filter(c -> c.taskId().equals(id))
                .findFirst().orElse(null), c -> c != null, Duration.ofSeconds(20), "cancel on tasks.control");
        assertInstanceOf(TaskControl.CancelTask.class, signal);
        b.call(Operation.CANCEL, Params.id(id)).fails("TASK_NOT_CANCELABLE");
        worker.status(id, task.get("contextId").asText(), TaskState.COMPLETED, "late");
        assertEquals("TASK_STATE_CANCELED", Conformance.get(b, id).at("/status/state").asText(),
                "a worker's late completed does not resurrect a canceled task");
        b.call(Operation.CANCEL, Params.id("no-such-task")).fails("TASK_NOT_FOUND");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#withTenants")
    void aTenantScopesItsTasks(Binding b) {
        ObjectNode p = Params.send("echo tenant");
        p.put("tenant", "acme");
        JsonNode task = b.call(Operation.SEND, p).ok().get("task");
        String id = task.get("id").asText();
        assertEquals(id, b.call(Operation.GET, Params.id(id, "tenant", "acme")).ok().get("id").asText());
        b.call(Operation.GET, Params.id(id, "tenant", "other")).fails("TASK_NOT_FOUND");
        b.call(Operation.CANCEL, Params.id(id, "tenant", "other")).fails("TASK_NOT_FOUND");
        b.call(Operation.CANCEL, Params.id(id, "tenant", "acme")).fails("TASK_NOT_CANCELABLE");
        b.call(Operation.PUSH_LIST, Params.taskId(id, "tenant", "other")).fails("TASK_NOT_FOUND");
        assertEquals(0, b.call(Operation.LIST, Params.of("tenant", "other", "contextId",
                task.get("contextId").asText())).ok().path("tasks").size());
        assertEquals(1, b.call(Operation.LIST, Params.of("tenant", "acme", "contextId", task.get("contextId").asText()))
                .ok().path("tasks").size());
        TaskCommand.StartTask start = assertInstanceOf(TaskCommand.StartTask.class, worker.commandFor(id));
        assertEquals("acme", start.tenant());
        ObjectNode config = Params.taskId(id, "url", "http://127.0.0.1:9/hook", "tenant", "acme");
        String configId = b.call(Operation.PUSH_CREATE, config).ok().path("id").asText();
        b.call(Operation.PUSH_GET, Params.taskId(id, "id", configId, "tenant", "other")).fails("TASK_NOT_FOUND");
        assertEquals(configId, b.call(Operation.PUSH_GET, Params.taskId(id, "id", configId, "tenant", "acme")).ok()
                .path("id").asText());
        b.call(Operation.PUSH_DELETE, Params.taskId(id, "id", configId, "tenant", "acme")).ok();
        ObjectNode streamed = Params.send("chunks 1");
        streamed.put("tenant", "acme");
        try (LiveStream s = b.stream(Operation.STREAM, streamed)) {
            List<JsonNode> items = s.rest();
            assertEquals("TASK_STATE_COMPLETED", items.get(items.size() - 1).at("/statusUpdate/status/state")
                    .asText());
            String streamedId = items.get(0).at("/task/id").asText();
            b.call(Operation.GET, Params.id(streamedId, "tenant", "other")).fails("TASK_NOT_FOUND");
            try (LiveStream other = b.stream(Operation.SUBSCRIBE, Params.id(streamedId, "tenant", "other"))) {
                assertEquals("TASK_NOT_FOUND", other.failure().reason());
            }
        }
    }
}
