package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.LiveStream;
import run.codetether.gateway.support.binding.Params;

/**
 * Responses within the response limits on every binding (the test profile: at most 8 history messages, 8
 * artifacts, 256 KiB per task): GetTask, ListTasks and the first item of SubscribeToTask show the newest messages
 * and artifacts, cut the large parts with a marker, say in the task's metadata what was left out, and honour
 * historyLength.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class ResponseLimitsConformanceTest {
    static final int MAX_TASK_BYTES = 262_144;
    ScriptedWorker worker;

    @BeforeEach
    void setUp() {
        worker = ScriptedWorker.shared();
    }

    /** A working task with 11 history messages (one of 400,000 characters) and 10 artifacts. */
    private JsonNode largeTask(Binding b) {
        JsonNode task = Conformance.submit(b, "hang");
        String id = task.get("id").asText();
        String ctx = task.get("contextId").asText();
        Conformance.awaitState(b, id, "TASK_STATE_WORKING");
        for (int i = 0; i < 10; i++) {
            String text = i == 9 ? "L".repeat(400_000) : "agent turn " + i;
            worker.send(new TaskEvent.MessageAdded(id, ctx, "test-worker",
                    Message.agentText(UUID.randomUUID().toString(), ctx, id, text), null));
            worker.send(new TaskEvent.ArtifactAdded(id, ctx, "test-worker", new Artifact("art" + i, "out" + i, null,
                    List.of(Part.Text.of("artifact " + i)), null, null), false, true, null));
        }
        Await.until(() -> Conformance.get(b, id), t -> t.path("artifacts").size() == 8
                && t.at("/artifacts/7/artifactId").asText().equals("art9"), java.time.Duration.ofSeconds(20),
                "all events folded");
        return task;
    }

    private static void assertCut(JsonNode t, int historyOmitted) {
        assertTrue(A2AHttp.JSON.valueToTree(t).toString().length() <= MAX_TASK_BYTES, "within the size cap");
        JsonNode marker = t.at("/metadata/truncated");
        assertEquals(historyOmitted, marker.path("history_omitted").asInt(), marker::toString);
        assertEquals(2, marker.path("artifacts_omitted").asInt(), marker::toString);
        assertEquals(1, marker.path("parts_cut").asInt(), marker::toString);
        assertEquals(MAX_TASK_BYTES, marker.path("max_task_bytes").asLong());
        assertEquals(8, t.get("artifacts").size());
        assertEquals("art2", t.at("/artifacts/0/artifactId").asText(), "the newest artifacts");
        JsonNode last = t.get("history").get(t.get("history").size() - 1);
        String text = last.at("/parts/0/text").asText();
        assertTrue(text.startsWith("LLLL") && text.contains("cut by the gateway"), "cut with a marker");
        assertEquals(400_000, last.at("/parts/0/metadata/truncated/original_chars").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void getTaskAndSubscribeShowALargeTaskWithinTheLimitsAndSaySo(Binding b) {
        JsonNode task = largeTask(b);
        String id = task.get("id").asText();
        JsonNode got = Conformance.get(b, id);
        assertEquals(8, got.get("history").size(), "history capped to the newest 8 of 11");
        assertCut(got, 3);

        JsonNode two = b.call(Operation.GET, Params.id(id, "historyLength", 2)).ok();
        assertEquals(2, two.get("history").size(), "historyLength is honoured");
        assertCut(two, 0);

        try (LiveStream s = b.stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertNull(s.failure());
            JsonNode first = s.next().get("task");
            assertCut(first, 3);
            worker.status(id, task.get("contextId").asText(), TaskState.COMPLETED, "done");
            assertEquals("TASK_STATE_COMPLETED", s.next().at("/statusUpdate/status/state").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#withListTasks")
    void listTasksShowsEachTaskWithinTheLimits(Binding b) {
        JsonNode task = largeTask(b);
        JsonNode page = b.call(Operation.LIST, Params.of("contextId", task.get("contextId").asText(),
                "includeArtifacts", true)).ok();
        assertEquals(1, page.get("tasks").size());
        assertCut(page.at("/tasks/0"), 3);
        JsonNode noArtifacts = b.call(Operation.LIST, Params.of("contextId", task.get("contextId").asText(),
                "historyLength", 1)).ok().at("/tasks/0");
        assertEquals(1, noArtifacts.get("history").size());
        assertFalse(noArtifacts.has("artifacts"));
        b.call(Operation.CANCEL, Params.id(task.get("id").asText())).ok();
    }
}
