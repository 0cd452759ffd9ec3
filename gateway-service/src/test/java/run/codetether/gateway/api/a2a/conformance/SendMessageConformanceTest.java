package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.SwarmTopicProbe;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Params;

/** SendMessage on every binding: blocking and not, follow-ups, parts, content types, routing by skill. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class SendMessageConformanceTest {
    ScriptedWorker worker;

    @BeforeEach
    void setUp() {
        worker = ScriptedWorker.shared();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aBlockingSendAnswersTheFinalTaskWithTheHistoryAskedFor(Binding b) {
        ObjectNode p = Params.send("echo block");
        Params.config(p).put("historyLength", 1);
        JsonNode task = b.call(Operation.SEND, p).ok().get("task");
        assertEquals("TASK_STATE_COMPLETED", task.at("/status/state").asText());
        assertEquals("echo: echo block", task.at("/artifacts/0/parts/0/text").asText());
        assertEquals(1, task.get("history").size());
        assertEquals("ROLE_AGENT", task.at("/history/0/role").asText());
        JsonNode none = b.call(Operation.GET, Params.id(task.get("id").asText(), "historyLength", 0)).ok();
        assertFalse(none.has("history"));
        assertEquals(2, Conformance.get(b, task.get("id").asText()).get("history").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aNonBlockingSendAnswersSubmittedAndTheWorkerCompletesIt(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("echo hello"));
        Params.messageMetadata(p, "provider", "anthropic");
        Params.messageMetadata(p, "model", "claude-sonnet-4");
        JsonNode task = b.call(Operation.SEND, p).ok().get("task");
        assertEquals("TASK_STATE_SUBMITTED", task.at("/status/state").asText());
        assertEquals("ROLE_USER", task.at("/history/0/role").asText());
        assertEquals("echo hello", task.at("/history/0/parts/0/text").asText());
        String id = task.get("id").asText();
        JsonNode done = Conformance.awaitState(b, id, "TASK_STATE_COMPLETED");
        assertEquals("echo: echo hello", done.at("/artifacts/0/parts/0/text").asText());
        assertFalse(done.path("metadata").has("codetether.owner"), "the gateway's own keys stay hidden");
        TaskCommand.StartTask start = assertInstanceOf(TaskCommand.StartTask.class, worker.commandFor(id));
        assertEquals("anthropic", start.provider());
        assertEquals("claude-sonnet-4", start.model());
        assertEquals(task.get("contextId").asText(), start.contextId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aFollowUpResumesAnInterruptedTaskAndAFinishedTaskTakesNoMore(Binding b) {
        JsonNode asked = b.call(Operation.SEND, Params.send("ask me")).ok().get("task");
        assertEquals("TASK_STATE_INPUT_REQUIRED", asked.at("/status/state").asText());
        String id = asked.get("id").asText();
        ObjectNode reply = Params.send("main");
        Params.message(reply).put("taskId", id).put("contextId", asked.get("contextId").asText());
        JsonNode done = b.call(Operation.SEND, reply).ok().get("task");
        assertEquals("TASK_STATE_COMPLETED", done.at("/status/state").asText());
        assertEquals(id, done.get("id").asText());
        JsonNode artifacts = done.get("artifacts");
        assertEquals("got: main", artifacts.get(artifacts.size() - 1).at("/parts/0/text").asText());
        assertInstanceOf(TaskCommand.ContinueTask.class, worker.commandFor(id));
        ObjectNode again = Params.send("again");
        Params.message(again).put("taskId", id);
        b.call(Operation.SEND, again).fails("UNSUPPORTED_OPERATION");
        ObjectNode unknown = Params.send("x");
        Params.message(unknown).put("taskId", "no-such-task");
        b.call(Operation.SEND, unknown).fails("TASK_NOT_FOUND");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void fileAndDataPartsRoundTrip(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("echo parts"));
        ArrayNode parts = (ArrayNode) Params.message(p).get("parts");
        parts.addObject().put("raw", "aGVsbG8=").put("filename", "a.txt").put("mediaType", "text/plain");
        parts.addObject().put("url", "https://example.org/b.png").put("mediaType", "image/png");
        parts.addObject().putObject("data").putArray("k").add(1).add(2);
        JsonNode back = b.call(Operation.SEND, p).ok().at("/task/history/0/parts");
        assertEquals("echo parts", back.at("/0/text").asText());
        assertEquals("aGVsbG8=", back.at("/1/raw").asText());
        assertEquals("a.txt", back.at("/1/filename").asText());
        assertEquals("text/plain", back.at("/1/mediaType").asText());
        assertEquals("https://example.org/b.png", back.at("/2/url").asText());
        assertEquals("image/png", back.at("/2/mediaType").asText());
        assertEquals(2, back.at("/3/data/k/1").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void mediaTypesTheAgentCannotHandleAreRefused(Binding b) {
        ObjectNode video = Params.send("x");
        ((ArrayNode) Params.message(video).get("parts")).removeAll().addObject().put("url", "https://example.org/v.mp4")
                .put("mediaType", "video/mp4");
        b.call(Operation.SEND, video).fails("CONTENT_TYPE_NOT_SUPPORTED");
        ObjectNode audio = Params.send("x");
        Params.config(audio).putArray("acceptedOutputModes").add("audio/wav");
        b.call(Operation.SEND, audio).fails("CONTENT_TYPE_NOT_SUPPORTED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void theSwarmSkillGoesToSwarmService(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("split the work " + UUID.randomUUID()));
        Params.messageMetadata(p, "skill", "swarm");
        Params.messageMetadata(p, "strategy", "stage");
        Params.messageMetadata(p, "max_concurrency", 3);
        JsonNode task = b.call(Operation.SEND, p).ok().get("task");
        String id = task.get("id").asText();
        SwarmCommand.StartSwarm job = SwarmTopicProbe.await(id);
        assertNotNull(job, "StartSwarm on swarm.requested");
        assertEquals(id, job.swarmId());
        assertEquals(task.get("contextId").asText(), job.contextId());
        assertEquals(Params.message(p).at("/parts/0/text").asText(), job.goal());
        assertEquals(SwarmStrategy.STAGE, job.strategy());
        assertEquals(3, job.maxConcurrency());
        assertNull(worker.commandFor(id), "not sent to agent workers");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void badSwarmSettingsAreRefusedBeforeAnythingIsWritten(Binding b) {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("strategy", "sideways"),
                Map.of("max_concurrency", 0), Map.of("maxConcurrency", 300))) {
            String text = "go " + UUID.randomUUID();
            ObjectNode p = Params.send(text);
            Params.messageMetadata(p, "skill", "swarm");
            bad.forEach((k, v) -> Params.messageMetadata(p, k, v));
            b.call(Operation.SEND, p).fails("INVALID_PARAMS");
            assertFalse(worker.commands.stream().anyMatch(c -> c instanceof TaskCommand.StartTask s
                    && s.message().text().equals(text)));
        }
    }
}
