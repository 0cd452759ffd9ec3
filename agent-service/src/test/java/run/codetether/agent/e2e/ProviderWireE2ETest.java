package run.codetether.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.WireStack;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/**
 * The whole path for every provider wire protocol: command on Kafka, worker, LangChain4j against the scripted
 * server, real gRPC tools on a temp workspace, session in agent.sessions, events on tasks.events. The task reads a
 * file, edits it, runs a command and answers; the scripted server's recorded requests prove each tool's real
 * output went back to the model.
 */
class ProviderWireE2ETest {
    static WireStack stack;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // no first-chunk hold: a scripted answer finishes within any, and these tests see each wire's deltas arrive
        stack = WireStack.start(dir, "e2e", s -> s.withFirstChunkHold(Duration.ZERO), 8);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @BeforeEach
    void reset() {
        stack.llm.reset();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "moonshotai, true, sk-test-openai-0123456789abcdef",
        "anthropic, true, sk-ant-test-0123456789abcdef",
        "google, true, AIzaTest0123456789abcdef",
        "bedrock, true, AKIATESTKEYID0000001",
        "local, false, "
    })
    void multiStepTaskCompletesAndToolOutputsReachTheModel(String provider, boolean streams, String key) throws Exception {
        String ctx = "ctx-" + provider + "-" + UUID.randomUUID();
        String taskId = "task-" + provider + "-" + UUID.randomUUID();
        Files.writeString(stack.tools.workspace(ctx).resolve("hello.txt"), "hello world\n");
        stack.llm.requireApiKey(key);
        boolean gemini = provider.equals("google");
        stack.llm.enqueue(
                Reply.tools(Reply.call(gemini ? null : "c1", "read_file", Map.of("path", "hello.txt"))).withUsage(100, 10),
                Reply.tools(Reply.call(gemini ? null : "c2", "edit", Map.of("path", "hello.txt", "old_string", "world", "new_string", "tether"))),
                Reply.tools(Reply.call(gemini ? null : "c3", "bash", Map.of("command", "tr a-z A-Z < hello.txt"))),
                Reply.text("Done: the file now says HELLO TETHER").withUsage(300, 20));

        stack.gateway.send(Commands.start(taskId, ctx, provider, "Change world to tether in hello.txt and show it uppercased"));
        TaskEvent.StatusChanged last = stack.gateway.awaitFinal(taskId, Duration.ofSeconds(60));

        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        assertEquals("Done: the file now says HELLO TETHER", stack.gateway.messageText(taskId, last));
        List<RecordedRequest> reqs = stack.llm.requests();
        assertEquals(4, reqs.size());
        assertTrue(reqs.get(0).toolNames().containsAll(List.of("read_file", "edit", "bash", "question", "todo_write")),
                () -> "offered: " + reqs.get(0).toolNames());
        assertTrue(last(reqs.get(1)).contains("hello world"), () -> "read_file output not sent back: " + reqs.get(1).toolResults());
        assertTrue(last(reqs.get(2)).contains("edited hello.txt"), () -> "edit output not sent back: " + reqs.get(2).toolResults());
        assertTrue(last(reqs.get(3)).contains("HELLO TETHER"), () -> "bash output not sent back: " + reqs.get(3).toolResults());
        assertEquals(3, reqs.get(3).toolResults().size(), "the whole history goes back to the model");
        if (!gemini) {
            assertEquals(List.of("c1", "c2", "c3"), reqs.get(3).toolResults().stream().map(RecordedRequest.ToolResult::callId).toList());
        }
        assertEquals(streams, reqs.get(0).streaming());
        assertEquals("hello tether\n", Files.readString(stack.tools.workspace(ctx).resolve("hello.txt")));

        List<TaskEvent> events = stack.gateway.of(taskId);
        // the answer's artifact rides on the final status (issue 18), after the changed files
        var artifacts = events.stream().flatMap(e -> e.unfolded().stream())
                .filter(e -> e instanceof TaskEvent.ArtifactAdded a && !a.streamed())
                .map(e -> ((TaskEvent.ArtifactAdded) e).artifact()).toList();
        assertEquals(List.of("changed-files", "answer"), artifacts.stream().map(Artifact::name).toList());
        assertEquals(Map.of("files", List.of("hello.txt")), ((Part.Data) artifacts.get(0).parts().get(0)).data());
        assertEquals("Done: the file now says HELLO TETHER", stack.gateway.messageText(taskId, last),
                "the final status carries the answer (folded into the history)");
        assertTrue(events.stream().noneMatch(e -> e instanceof TaskEvent.MessageAdded),
                "the answer is not written a third time as a separate history message");
        assertEquals(4, last.progress().step());
        assertTrue(last.progress().usage().tokensIn() >= 400, () -> "usage: " + last.progress().usage());
        assertTrue(events.stream().anyMatch(e -> e instanceof TaskEvent.StatusChanged s && "bash".equals(s.progress().tool())
                && "bash".equals(s.metadata().get(MetadataKeys.TOOL))), "tool progress reached the client");
        if (streams) {
            assertTrue(events.stream().anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a && a.streamed()
                    && a.artifact().artifactId().equals(Artifact.answerId(taskId))),
                    "streamed partial text reached the client as answer chunks");
            assertTrue(events.stream().noneMatch(e -> e instanceof TaskEvent.StatusChanged s && s.progress().partial()
                    && !s.progress().output()), "the model's text does not stream as whole-text statuses any more");
        }
        var saved = stack.sessions.load(ctx).orElseThrow();
        assertEquals(8, saved.messages.size(), "user + 4 assistant turns + 3 tool results persisted");
        if (key != null) {
            for (TaskEvent e : events) {
                assertFalse(new String(run.codetether.contracts.events.ContractJson.write(e)).contains(key), "key leaked into an event");
            }
        }
    }

    private static String last(RecordedRequest r) {
        var results = r.toolResults();
        return results.get(results.size() - 1).content();
    }
}
