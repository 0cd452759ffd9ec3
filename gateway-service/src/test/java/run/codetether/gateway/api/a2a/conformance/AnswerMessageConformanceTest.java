package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.PushReceiver;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.LiveStream;
import run.codetether.gateway.support.binding.Params;

/**
 * A completed task's status message is its answer on every binding, although the worker sends the answer's text
 * once: the final status's message is sent without it and names the answer artifact's text instead (issue 18). The
 * scripted worker completes as the agent does: "echo" with the answer whole in the final status's close, "stream n"
 * with n chunks that the close finishes with its rest.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class AnswerMessageConformanceTest {
    private static final String STREAMED = "part0 part1 part2 end.";
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aBlockingSendAndGetTaskShowTheAnswerAsTheStatusMessage(Binding b) {
        String text = "echo answer " + UUID.randomUUID();
        JsonNode task = b.call(Operation.SEND, Params.send(text)).ok().get("task");
        assertAnswered(task, "echo: " + text);
        assertAnswered(Conformance.get(b, task.get("id").asText()), "echo: " + text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aStreamedAnswerIsTheFinalEventsMessageAndTheTasks(Binding b) {
        List<JsonNode> items;
        try (LiveStream s = b.stream(Operation.STREAM, Params.send("stream 3"))) {
            assertNull(s.failure());
            items = s.rest();
        }
        JsonNode last = items.get(items.size() - 1);
        assertEquals("statusUpdate", LiveStream.kind(last), () -> "items: " + items);
        JsonNode status = last.at("/statusUpdate/status");
        assertEquals("TASK_STATE_COMPLETED", status.path("state").asText());
        assertEquals(1, status.at("/message/parts").size(), () -> "final status: " + status);
        assertEquals(STREAMED, status.at("/message/parts/0/text").asText());
        assertAnswered(Conformance.get(b, items.get(0).at("/task/id").asText()), STREAMED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aPushedFinalStatusCarriesTheStreamedAnswer(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("stream 3"));
        Params.config(p).putObject("taskPushNotificationConfig").put("url", receiver.url());
        String id = b.call(Operation.SEND, p).ok().at("/task/id").asText();
        boolean v03 = b.name().endsWith("0.3");
        PushReceiver.Received r = Await.until(() -> receiver.received.stream().filter(x -> v03
                        ? x.body().path("kind").asText().equals("status-update")
                                && x.body().path("taskId").asText().equals(id)
                                && x.body().at("/status/state").asText().equals("completed")
                        : x.body().at("/statusUpdate/taskId").asText().equals(id)
                                && x.body().at("/statusUpdate/status/state").asText().equals("TASK_STATE_COMPLETED"))
                .findFirst().orElse(null), x -> x != null, Duration.ofSeconds(20), b + " completed notification");
        JsonNode message = v03 ? r.body().at("/status/message") : r.body().at("/statusUpdate/status/message");
        assertEquals(1, message.path("parts").size(), () -> "pushed: " + r.body());
        assertEquals(STREAMED, message.at("/parts/0/text").asText());
    }

    /** Completed, with the answer as its status message (one text part) and as the history's last message. */
    private static void assertAnswered(JsonNode task, String answer) {
        assertEquals("TASK_STATE_COMPLETED", task.at("/status/state").asText(), () -> "task: " + task);
        assertEquals(1, task.at("/status/message/parts").size(), () -> "status: " + task.get("status"));
        assertEquals(answer, task.at("/status/message/parts/0/text").asText());
        assertEquals("ROLE_AGENT", task.at("/status/message/role").asText());
        JsonNode history = task.get("history");
        JsonNode lastMessage = history.get(history.size() - 1);
        assertEquals(answer, lastMessage.at("/parts/0/text").asText(), () -> "history: " + history);
        assertEquals(answer, task.at("/artifacts/0/parts/0/text").asText());
    }
}
