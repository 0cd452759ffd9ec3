package run.codetether.agent.domain.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/** Swarm subtasks work in the swarm's (the caller's) workspace; nobody else can name a foreign one. */
class SwarmWorkspaceTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    @BeforeEach
    void start() throws Exception {
        Files.writeString(h.tools.workspace("c-caller").resolve("shared.txt"), "CALLER-FILE");
    }

    static TaskCommand.StartTask subtask(String taskId, String parent, String swarmId, String workspace) {
        return new TaskCommand.StartTask(taskId, taskId, null, Commands.user("read shared.txt"), "moonshotai", null,
                null, parent, swarmId, workspace == null ? null : new TaskCommand.Subtask("a", 0, 1, "c-swarm", workspace),
                Map.of(), null);
    }

    String readResult(TaskCommand.StartTask cmd) {
        h.llm.enqueue(Reply.tools(Reply.call("call_0", "read_file", Map.of("path", "shared.txt"))), Reply.text("ok"));
        h.run(h.loop(), cmd);
        List<RecordedRequest> reqs = h.llm.requests();
        var results = reqs.get(reqs.size() - 1).toolResults();
        return results.get(results.size() - 1).content();
    }

    @Test
    void aSwarmSubtaskReadsAndWritesTheCallersWorkspace() {
        var cmd = subtask("sw.s.a.a1", "t-caller", "sw", "c-caller");
        assertTrue(readResult(cmd).contains("CALLER-FILE"), "the subtask sees the caller's file");
        assertEquals("c-caller", SwarmWorkspace.workspaceId(cmd));
        assertEquals("swarm:sw.s.a.a1:", SwarmWorkspace.callPrefix(cmd), "call ids kept apart per subtask");
    }

    @Test
    void aTaskThatSwarmServiceDidNotDispatchCannotNameAnotherWorkspace() {
        // a client's own metadata (gateway: no parent task) or a missing swarm id: the task's own workspace
        var fromClient = subtask("t-x", null, "sw", "c-caller");
        assertFalse(readResult(fromClient).contains("CALLER-FILE"));
        assertEquals("t-x", SwarmWorkspace.workspaceId(fromClient));
        var noSwarm = subtask("t-y", "t-caller", null, "c-caller");
        assertEquals("t-y", SwarmWorkspace.workspaceId(noSwarm));
        assertEquals("", SwarmWorkspace.callPrefix(noSwarm));
    }
}
