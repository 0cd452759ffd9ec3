package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.LiveStream;
import run.codetether.gateway.support.binding.Params;

/** SendStreamingMessage and SubscribeToTask on every binding: order, the end of a stream, clients that leave. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class StreamConformanceTest {
    ScriptedWorker worker;

    @BeforeEach
    void setUp() {
        worker = ScriptedWorker.shared();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aStreamingSendRelaysTheTaskThenEveryEventInOrderAndEnds(Binding b) {
        List<JsonNode> items;
        try (LiveStream s = b.stream(Operation.STREAM, Params.send("chunks 3"))) {
            assertNull(s.failure());
            items = s.rest();
        }
        List<String> kinds = new ArrayList<>();
        items.forEach(i -> kinds.add(LiveStream.kind(i)));
        assertEquals(List.of("task", "statusUpdate", "artifactUpdate", "artifactUpdate", "artifactUpdate",
                "statusUpdate"), kinds);
        String id = items.get(0).at("/task/id").asText();
        assertEquals("TASK_STATE_SUBMITTED", items.get(0).at("/task/status/state").asText());
        assertEquals("TASK_STATE_WORKING", items.get(1).at("/statusUpdate/status/state").asText());
        for (int i = 0; i < 3; i++) {
            JsonNode a = items.get(2 + i).get("artifactUpdate");
            assertEquals(id, a.get("taskId").asText());
            assertEquals("chunk" + i, a.at("/artifact/parts/0/text").asText());
            assertEquals(i > 0, a.path("append").asBoolean());
            assertEquals(i == 2, a.path("lastChunk").asBoolean());
        }
        assertEquals("TASK_STATE_COMPLETED", items.get(5).at("/statusUpdate/status/state").asText());
        assertEquals(id, items.get(5).at("/statusUpdate/taskId").asText());
        JsonNode parts = Conformance.get(b, id).at("/artifacts/0/parts");
        assertEquals(1, parts.size(), "appended text chunks fold into one text part");
        assertEquals("chunk0chunk1chunk2", parts.at("/0/text").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aSubscriptionStartsWithTheTaskAndFollowsItToItsEnd(Binding b) {
        JsonNode task = Conformance.submit(b, "hang");
        String id = task.get("id").asText();
        Conformance.awaitState(b, id, "TASK_STATE_WORKING");
        try (LiveStream s = b.stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertNull(s.failure());
            JsonNode first = s.next();
            assertEquals(id, first.at("/task/id").asText(), "a subscription starts with the task");
            assertEquals("TASK_STATE_WORKING", first.at("/task/status/state").asText());
            worker.status(id, task.get("contextId").asText(), TaskState.COMPLETED, "finished");
            JsonNode last = s.next();
            assertEquals("TASK_STATE_COMPLETED", last.at("/statusUpdate/status/state").asText());
            assertEquals("finished", last.at("/statusUpdate/status/message/parts/0/text").asText());
            assertNull(s.next(), "the stream ends after the terminal status");
        }
        try (LiveStream refused = b.stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertEquals("UNSUPPORTED_OPERATION", refused.failure().reason(), "a finished task has no updates");
        }
        try (LiveStream unknown = b.stream(Operation.SUBSCRIBE, Params.id("no-such-task"))) {
            assertEquals("TASK_NOT_FOUND", unknown.failure().reason());
        }
    }

    /**
     * A streamed answer is deltas on the wire ({@code append}, only the new text, its {@code text_offset}); GetTask
     * during the stream shows the text so far, and a client that subscribes mid-stream gets it as the task's
     * artifact (whole, no offset), then only the deltas after it, then the finished answer whole.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aStreamedAnswerIsDeltasAndASubscriberMidStreamGetsTheTextSoFarThenTheRest(Binding b) {
        JsonNode task = Conformance.submit(b, "hang");
        String id = task.get("id").asText();
        String ctx = task.get("contextId").asText();
        Conformance.awaitState(b, id, "TASK_STATE_WORKING");
        worker.send(chunk(id, ctx, "Hello", 0));
        worker.send(chunk(id, ctx, " wor", 5));
        JsonNode soFar = Await.until(() -> Conformance.get(b, id), t -> t.at("/artifacts/0/parts/0/text").asText()
                .equals("Hello wor"), Duration.ofSeconds(20), "GetTask showing the text so far");
        assertEquals(1, soFar.at("/artifacts/0/parts").size());
        try (LiveStream s = b.stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertNull(s.failure());
            JsonNode first = s.next();
            JsonNode artifact = first.at("/task/artifacts/0");
            assertEquals("Hello wor", artifact.at("/parts/0/text").asText(), "the text so far, in one piece");
            assertTrue(artifact.at("/metadata/partial").asBoolean(), "marked as still streaming");
            assertTrue(artifact.at("/metadata/text_offset").isMissingNode(), "a whole text has no offset");
            worker.send(chunk(id, ctx, "ld", 9));
            JsonNode delta = s.next().get("artifactUpdate");
            assertEquals("ld", delta.at("/artifact/parts/0/text").asText(), "only the new text");
            assertTrue(delta.path("append").asBoolean());
            assertFalse(delta.path("lastChunk").asBoolean());
            assertEquals(9, delta.at("/artifact/metadata/text_offset").asInt());
            assertEquals(Artifact.answerId(id), delta.at("/artifact/artifactId").asText());
            Artifact answer = new Artifact(Artifact.answerId(id), Artifact.ANSWER, null,
                    List.of(Part.Text.of("Hello world")), null, null);
            worker.send(new TaskEvent.ArtifactAdded(id, ctx, "test-worker", answer, false, true, null));
            worker.status(id, ctx, TaskState.COMPLETED, "Hello world");
            JsonNode last = s.next().get("artifactUpdate");
            assertEquals("Hello world", last.at("/artifact/parts/0/text").asText(), "the finished answer, whole");
            assertFalse(last.path("append").asBoolean());
            assertTrue(last.path("lastChunk").asBoolean());
            assertEquals("TASK_STATE_COMPLETED", s.next().at("/statusUpdate/status/state").asText());
        }
        JsonNode done = Conformance.get(b, id);
        assertEquals(1, done.at("/artifacts").size());
        assertEquals("Hello world", done.at("/artifacts/0/parts/0/text").asText());
        assertTrue(done.at("/artifacts/0/metadata/partial").isMissingNode(), "the answer is no longer streaming");
    }

    private static TaskEvent chunk(String id, String ctx, String text, long offset) {
        return TaskEvent.ArtifactAdded.textChunk(id, ctx, "test-worker", Artifact.answerId(id), Artifact.ANSWER, text,
                offset, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aClientLeavingAStreamLeavesTheTaskRunning(Binding b) {
        String id;
        try (LiveStream s = b.stream(Operation.STREAM, Params.send("hang"))) {
            JsonNode first = s.next();
            assertEquals("TASK_STATE_SUBMITTED", first.at("/task/status/state").asText());
            id = first.at("/task/id").asText();
        }
        JsonNode working = Conformance.awaitState(b, id, "TASK_STATE_WORKING");
        assertNotEquals("TASK_STATE_CANCELED", working.at("/status/state").asText());
        assertTrue(worker.controls.stream().noneMatch(c -> c.taskId().equals(id)), "no cancel reached a worker");
        b.call(Operation.CANCEL, Params.id(id)).ok();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aStreamRefusedBeforeItStartsIsAPlainError(Binding b) {
        ObjectNode p = Params.send("echo nothing");
        Params.messageMetadata(p, "skill", "no-such-skill");
        try (LiveStream s = b.stream(Operation.STREAM, p)) {
            assertEquals("INVALID_PARAMS", s.failure().reason());
        }
    }

    @jakarta.inject.Inject
    run.codetether.gateway.domain.handler.LiveStreams liveStreams;

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aStreamThatMustEndEarlyEndsWithARetryableErrorTheClientCanActOn(Binding b) {
        JsonNode task = Conformance.submit(b, "hang");
        String id = task.get("id").asText();
        Conformance.awaitState(b, id, "TASK_STATE_WORKING");
        try (LiveStream s = b.stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertEquals(id, s.next().at("/task/id").asText());
            // what the gateway does when it shuts down (streams of earlier tests may still be open: >= 1)
            assertTrue(liveStreams.abortAll("shutdown", "This gateway replica is shutting down; resubscribe", 1) >= 1);
            assertNull(s.next(), "the stream ends");
            assertEquals("UNAVAILABLE", s.endedWith().reason(), "a retryable error, not a cut");
            assertTrue(s.endedWith().message().contains("resubscribe"), s.endedWith().message());
        }
        try (LiveStream again = b.stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertEquals("TASK_STATE_WORKING", again.next().at("/task/status/state").asText(),
                    "the client resubscribes and goes on");
        }
        b.call(Operation.CANCEL, Params.id(id)).ok();
    }
}
