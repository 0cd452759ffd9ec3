package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.gateway.support.A2AHttp.rpc;
import static run.codetether.gateway.support.A2AHttp.userMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;

/** A2A 1.0 JSON-RPC against the real broker, with a scripted worker playing agent-service. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JsonRpcV10Test {
    @TestHTTPResource("/a2a")
    URI endpoint;

    A2AHttp a2a;
    ScriptedWorker worker;

    @BeforeEach
    void setUp() {
        a2a = new A2AHttp(endpoint);
        worker = ScriptedWorker.shared();
    }

    private JsonNode result(JsonNode response) {
        assertNull(response.get("error"), () -> "unexpected error: " + response);
        return response.get("result");
    }

    private JsonNode waitForState(String taskId, String state) {
        return Await.until(() -> result(a2a.call("GetTask", "{\"id\":\"" + taskId + "\"}")),
                t -> t.at("/status/state").asText().equals(state), Duration.ofSeconds(20), taskId + " " + state);
    }

    @Test
    void nonBlockingSendAnswersSubmittedAndTheWorkerCompletesIt() {
        JsonNode r = a2a.call("SendMessage", "{\"message\":" + userMessage("echo hello",
                "\"metadata\":{\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4\"}")
                + ",\"configuration\":{\"returnImmediately\":true}}");
        JsonNode task = result(r).get("task");
        assertEquals("TASK_STATE_SUBMITTED", task.at("/status/state").asText());
        assertEquals("ROLE_USER", task.at("/history/0/role").asText());
        String id = task.get("id").asText();
        JsonNode done = waitForState(id, "TASK_STATE_COMPLETED");
        assertEquals("echo: echo hello", done.at("/artifacts/0/parts/0/text").asText());
        assertFalse(done.has("metadata") && done.get("metadata").has("codetether.owner"), "internal keys hidden");
        TaskCommand.StartTask start = assertInstanceOf(TaskCommand.StartTask.class, worker.commandFor(id));
        assertEquals("anthropic", start.provider());
        assertEquals("claude-sonnet-4", start.model());
        assertEquals(task.get("contextId").asText(), start.contextId());
    }

    @Test
    void blockingSendWaitsForTheFinalStateAndHonoursHistoryLength() {
        JsonNode r = a2a.call("SendMessage", "{\"message\":" + userMessage("echo block", null)
                + ",\"configuration\":{\"historyLength\":1}}");
        JsonNode task = result(r).get("task");
        assertEquals("TASK_STATE_COMPLETED", task.at("/status/state").asText());
        assertEquals(1, task.get("history").size());
        assertEquals("ROLE_AGENT", task.at("/history/0/role").asText());
        JsonNode none = result(a2a.call("GetTask", "{\"id\":\"" + task.get("id").asText() + "\",\"historyLength\":0}"));
        assertFalse(none.has("history"));
    }

    @Test
    void streamingDeliversTaskThenEventsInOrderAndCloses() {
        try (A2AHttp.Stream s = a2a.stream(rpc("s-1", "SendStreamingMessage",
                "{\"message\":" + userMessage("chunks 5", null) + "}"), A2AHttp.ALICE, "1.0")) {
            assertTrue(s.contentType().startsWith("text/event-stream"), s.contentType());
            List<JsonNode> events = s.rest();
            List<String> kinds = new ArrayList<>();
            for (JsonNode e : events) {
                assertEquals("s-1", e.get("id").asText());
                assertEquals("2.0", e.get("jsonrpc").asText());
                kinds.add(e.get("result").fieldNames().next());
            }
            assertEquals(List.of("task", "statusUpdate", "artifactUpdate", "artifactUpdate", "artifactUpdate",
                    "artifactUpdate", "artifactUpdate", "statusUpdate"), kinds);
            assertEquals("TASK_STATE_SUBMITTED", events.get(0).at("/result/task/status/state").asText());
            assertEquals("TASK_STATE_WORKING", events.get(1).at("/result/statusUpdate/status/state").asText());
            for (int i = 0; i < 5; i++) {
                JsonNode a = events.get(2 + i).at("/result/artifactUpdate");
                assertEquals("chunk" + i, a.at("/artifact/parts/0/text").asText());
                assertEquals(i > 0, a.get("append").asBoolean());
            }
            assertEquals("TASK_STATE_COMPLETED", events.get(7).at("/result/statusUpdate/status/state").asText());
            String id = events.get(0).at("/result/task/id").asText();
            JsonNode folded = result(a2a.call("GetTask", "{\"id\":\"" + id + "\"}"));
            assertEquals(5, folded.at("/artifacts/0/parts").size(), "appended chunks fold into one artifact");
        }
    }

    @Test
    void inputRequiredTaskContinuesWithAFollowUpAndRefusesOneWhenDone() {
        JsonNode first = result(a2a.call("SendMessage", "{\"message\":" + userMessage("ask me", null) + "}"));
        JsonNode task = first.get("task");
        assertEquals("TASK_STATE_INPUT_REQUIRED", task.at("/status/state").asText());
        String id = task.get("id").asText();
        String ctx = task.get("contextId").asText();
        JsonNode second = result(a2a.call("SendMessage", "{\"message\":" + userMessage("main",
                "\"taskId\":\"" + id + "\",\"contextId\":\"" + ctx + "\"") + "}"));
        assertEquals("TASK_STATE_COMPLETED", second.at("/task/status/state").asText());
        assertEquals(id, second.at("/task/id").asText());
        assertInstanceOf(TaskCommand.ContinueTask.class, worker.commandFor(id));
        JsonNode third = a2a.call("SendMessage", "{\"message\":" + userMessage("again", "\"taskId\":\"" + id + "\"")
                + "}");
        assertEquals(-32004, third.at("/error/code").asInt());
        assertEquals("UNSUPPORTED_OPERATION", third.at("/error/data/0/reason").asText());
    }

    @Test
    void cancelReachesTheWorkersAndIsNotRepeatable() {
        JsonNode task = result(a2a.call("SendMessage", "{\"message\":" + userMessage("hang", null)
                + ",\"configuration\":{\"returnImmediately\":true}}")).get("task");
        String id = task.get("id").asText();
        waitForState(id, "TASK_STATE_WORKING");
        JsonNode canceled = result(a2a.call("CancelTask", "{\"id\":\"" + id + "\"}"));
        assertEquals("TASK_STATE_CANCELED", canceled.at("/status/state").asText());
        TaskControl signal = Await.until(() -> worker.controls.stream().filter(c -> c.taskId().equals(id))
                .findFirst().orElse(null), c -> c != null, Duration.ofSeconds(20), "cancel on tasks.control");
        assertInstanceOf(TaskControl.CancelTask.class, signal);
        waitForState(id, "TASK_STATE_CANCELED");
        JsonNode again = a2a.call("CancelTask", "{\"id\":\"" + id + "\"}");
        assertEquals(-32002, again.at("/error/code").asInt());
        // a worker's late "completed" does not resurrect a canceled task
        worker.status(id, task.get("contextId").asText(), run.codetether.contracts.a2a.TaskState.COMPLETED, "late");
        assertEquals("TASK_STATE_CANCELED", result(a2a.call("GetTask", "{\"id\":\"" + id + "\"}"))
                .at("/status/state").asText());
    }

    @Test
    void subscribeStartsWithTheTaskAndFollowsUntilTerminal() {
        JsonNode task = result(a2a.call("SendMessage", "{\"message\":" + userMessage("hang", null)
                + ",\"configuration\":{\"returnImmediately\":true}}")).get("task");
        String id = task.get("id").asText();
        String ctx = task.get("contextId").asText();
        waitForState(id, "TASK_STATE_WORKING");
        try (A2AHttp.Stream s = a2a.stream(rpc(7, "SubscribeToTask", "{\"id\":\"" + id + "\"}"), A2AHttp.ALICE,
                "1.0")) {
            JsonNode first = s.next();
            assertEquals(7, first.get("id").asInt());
            assertEquals("TASK_STATE_WORKING", first.at("/result/task/status/state").asText());
            worker.status(id, ctx, run.codetether.contracts.a2a.TaskState.COMPLETED, "finished");
            JsonNode last = s.next();
            assertEquals("TASK_STATE_COMPLETED", last.at("/result/statusUpdate/status/state").asText());
            assertNull(s.next(), "stream closes after the terminal status");
        }
        JsonNode refused = a2a.call("SubscribeToTask", "{\"id\":\"" + id + "\"}");
        assertEquals(-32004, refused.at("/error/code").asInt());
    }

    @Test
    void fileAndDataPartsRoundTripInBothVersions() {
        String msg = "{\"messageId\":\"" + java.util.UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":["
                + "{\"text\":\"echo parts\"},"
                + "{\"raw\":\"aGVsbG8=\",\"filename\":\"a.txt\",\"mediaType\":\"text/plain\"},"
                + "{\"url\":\"https://example.org/b.png\",\"mediaType\":\"image/png\"},"
                + "{\"data\":{\"k\":[1,2]}}]}";
        JsonNode task = result(a2a.call("SendMessage", "{\"message\":" + msg
                + ",\"configuration\":{\"returnImmediately\":true}}")).get("task");
        JsonNode parts = task.at("/history/0/parts");
        assertEquals("aGVsbG8=", parts.at("/1/raw").asText());
        assertEquals("a.txt", parts.at("/1/filename").asText());
        assertEquals("https://example.org/b.png", parts.at("/2/url").asText());
        assertEquals(2, parts.at("/3/data/k/1").asInt());
        JsonNode old = a2a.post(rpc(1, "tasks/get", "{\"id\":\"" + task.get("id").asText() + "\"}"), A2AHttp.ALICE,
                "0.3").json().at("/result/history/0/parts");
        assertEquals("file", old.at("/1/kind").asText());
        assertEquals("aGVsbG8=", old.at("/1/file/bytes").asText());
        assertEquals("text/plain", old.at("/1/file/mimeType").asText());
        assertEquals("https://example.org/b.png", old.at("/2/file/uri").asText());
        assertEquals("data", old.at("/3/kind").asText());
    }

    @Test
    void tenantScopesTasks() {
        JsonNode task = result(a2a.call("SendMessage", "{\"tenant\":\"acme\",\"message\":" + userMessage("echo t", null)
                + "}")).get("task");
        String id = task.get("id").asText();
        assertEquals(id, result(a2a.call("GetTask", "{\"id\":\"" + id + "\",\"tenant\":\"acme\"}")).get("id").asText());
        assertEquals(-32001, a2a.call("GetTask", "{\"id\":\"" + id + "\",\"tenant\":\"other\"}").at("/error/code").asInt());
        assertEquals(0, result(a2a.call("ListTasks", "{\"tenant\":\"other\",\"contextId\":\""
                + task.get("contextId").asText() + "\"}")).get("tasks").size());
        TaskCommand.StartTask start = assertInstanceOf(TaskCommand.StartTask.class, worker.commandFor(id));
        assertEquals("acme", start.tenant());
    }

    @Test
    void idleStreamsGetKeepAliveComments() {
        try (A2AHttp.Stream s = a2a.stream(rpc(1, "SendStreamingMessage", "{\"message\":" + userMessage("hang", null)
                + "}"), A2AHttp.ALICE, "1.0")) {
            assertEquals("TASK_STATE_SUBMITTED", s.next().at("/result/task/status/state").asText());
            assertTrue(s.awaitComment(), "a keep-alive comment while the task is idle (test profile: every 1s)");
            assertEquals(": keep-alive", s.comments.get(s.comments.size() - 1));
        }
    }

    @Test
    void clientDisconnectDoesNotCancelTheTask() {
        String id;
        try (A2AHttp.Stream s = a2a.stream(rpc(1, "SendStreamingMessage", "{\"message\":" + userMessage("hang", null)
                + "}"), A2AHttp.ALICE, "1.0")) {
            id = s.next().at("/result/task/id").asText();
        }
        JsonNode working = waitForState(id, "TASK_STATE_WORKING");
        assertEquals("TASK_STATE_WORKING", working.at("/status/state").asText());
        assertTrue(worker.controls.stream().noneMatch(c -> c.taskId().equals(id)));
    }

    @Test
    void listTasksFiltersPagesAndHidesOtherClientsTasks() {
        String ctx = java.util.UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            result(a2a.call("SendMessage", "{\"message\":" + userMessage("echo " + i, "\"contextId\":\"" + ctx + "\"")
                    + "}"));
        }
        JsonNode page1 = result(a2a.call("ListTasks", "{\"contextId\":\"" + ctx + "\",\"pageSize\":2}"));
        assertEquals(2, page1.get("tasks").size());
        assertEquals(3, page1.get("totalSize").asInt());
        assertFalse(page1.at("/tasks/0").has("artifacts"), "artifacts omitted unless includeArtifacts");
        String token = page1.get("nextPageToken").asText();
        assertFalse(token.isEmpty());
        JsonNode page2 = result(a2a.call("ListTasks", "{\"contextId\":\"" + ctx + "\",\"pageSize\":2,\"pageToken\":\""
                + token + "\",\"includeArtifacts\":true}"));
        assertEquals(1, page2.get("tasks").size());
        assertEquals("", page2.get("nextPageToken").asText());
        assertTrue(page2.at("/tasks/0").has("artifacts"));
        JsonNode completed = result(a2a.call("ListTasks", "{\"contextId\":\"" + ctx
                + "\",\"status\":\"TASK_STATE_COMPLETED\"}"));
        assertEquals(3, completed.get("tasks").size());
        JsonNode asBob = a2a.post(rpc(1, "ListTasks", "{\"contextId\":\"" + ctx + "\"}"), A2AHttp.BOB, "1.0").json();
        assertEquals(0, asBob.at("/result/tasks").size());
        String someId = page1.at("/tasks/0/id").asText();
        JsonNode bobGet = a2a.post(rpc(1, "GetTask", "{\"id\":\"" + someId + "\"}"), A2AHttp.BOB, "1.0").json();
        assertEquals(-32001, bobGet.at("/error/code").asInt());
        assertEquals(-32602, a2a.call("ListTasks", "{\"pageSize\":1000}").at("/error/code").asInt());
        assertEquals(-32602, a2a.call("ListTasks", "{\"pageToken\":\"garbage!\"}").at("/error/code").asInt());
    }

    @Test
    void swarmSkillGoesToSwarmRequested() {
        JsonNode task = result(a2a.call("SendMessage", "{\"message\":" + userMessage("split the work",
                "\"metadata\":{\"skill\":\"swarm\",\"strategy\":\"stage\",\"maxConcurrency\":3}")
                + ",\"configuration\":{\"returnImmediately\":true}}")).get("task");
        String id = task.get("id").asText();
        SwarmCommand.StartSwarm job = SwarmTopicProbe.await(id);
        assertNotNull(job, "StartSwarm on swarm.requested");
        assertEquals(id, job.swarmId());
        assertEquals(task.get("contextId").asText(), job.contextId());
        assertEquals("split the work", job.goal());
        assertEquals(SwarmStrategy.STAGE, job.strategy());
        assertEquals(3, job.maxConcurrency());
        assertNull(worker.commandFor(id), "not sent to agent workers");
    }

    @Test
    void badSwarmSettingsAreRefusedBeforeAnythingIsWritten() {
        assertEquals(-32602, a2a.call("SendMessage", "{\"message\":" + userMessage("go",
                "\"metadata\":{\"skill\":\"swarm\",\"strategy\":\"sideways\"}") + "}").at("/error/code").asInt());
        assertEquals(-32602, a2a.call("SendMessage", "{\"message\":" + userMessage("go",
                "\"metadata\":{\"skill\":\"swarm\",\"maxConcurrency\":0}") + "}").at("/error/code").asInt());
    }

    @Test
    void extendedAgentCardNeedsAuthAndListsSkills() {
        JsonNode card = result(a2a.call("GetExtendedAgentCard", "{}"));
        assertEquals("CodeTether", card.get("name").asText());
        List<String> skills = new ArrayList<>();
        card.get("skills").forEach(s -> skills.add(s.get("id").asText()));
        assertEquals(List.of("coding-agent", "swarm", "ralph", "rlm"), skills);
        A2AHttp.Reply anon = a2a.post(rpc(1, "GetExtendedAgentCard", "{}"), null, "1.0");
        assertEquals(401, anon.status());
        assertEquals(-31001, anon.json().at("/error/code").asInt());
    }
}
