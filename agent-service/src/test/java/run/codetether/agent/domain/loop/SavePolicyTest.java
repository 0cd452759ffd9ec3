package run.codetether.agent.domain.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.InMemorySessionStore;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.llm.Reply;

/** Which saves of a run are awaited (a broker round trip each) and which are only sent. */
class SavePolicyTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** Records "save" (awaited) and "soon" (sent without waiting) in order. */
    private static final class CountingStore implements SessionStore {
        final InMemorySessionStore inner = new InMemorySessionStore();
        final List<String> saves = new ArrayList<>();

        @Override
        public Optional<Session> load(String contextId) {
            return inner.load(contextId);
        }

        @Override
        public void save(Session session) {
            saves.add("save");
            inner.save(session);
        }

        @Override
        public void saveSoon(Session session) {
            saves.add("soon");
            inner.save(session);
        }

        @Override
        public List<Session> list() {
            return inner.list();
        }
    }

    private List<String> run(CountingStore store, String taskId, Reply... replies) {
        h.llm.enqueue(replies);
        AgentLoop loop = LoopHarness.loop(h.settings(), h.providers(), h.toolClient, h.events, store);
        h.run(loop, new TaskCommand.StartTask(taskId, "c-" + taskId, null, Commands.start(taskId, "c", "moonshotai", "hi")
                .message(), "moonshotai", null, null, null, null, null, Map.of(), null));
        assertEquals(TaskState.COMPLETED, h.last(taskId).status().state(), () -> "final: " + h.last(taskId));
        return store.saves;
    }

    @Test
    void aTextAnswerIsSavedOnceAtItsEnd() {
        // the start has no save of its own (issue 18: the end's save carries it; awaiting it cost a broker round trip
        // before WORKING, issue 19), nor has the answer's turn: the end state's awaited save follows at once
        assertEquals(List.of("save"), run(new CountingStore(), "t-text", Reply.text("hello")));
    }

    @Test
    void aSkillTasksStartIsAwaitedBeforeItsCallRuns() {
        CountingStore store = new CountingStore();
        List<String> seenByTheCall = new ArrayList<>();
        LoopTool chore = new LoopTool() {
            @Override
            public ToolSpec spec() {
                return ToolSpec.mutating("chore", "a skill's tool", "{\"type\":\"object\"}");
            }

            @Override
            public Optional<String> skillCall(String skill, String text, Map<String, Object> metadata) {
                return "chore".equals(skill) ? Optional.of("{}") : Optional.empty();
            }

            @Override
            public Result run(ToolInvocation call, LoopAccess loop) {
                seenByTheCall.addAll(store.saves);
                return Result.ok("chore done");
            }
        };
        AgentLoop loop = LoopHarness.loop(h.settings(), h.providers(), h.toolClient, h.events, store, chore);
        h.run(loop, Commands.skill("t-skill", "c-t-skill", "moonshotai", "do it", "chore", Map.of()));
        assertEquals(TaskState.COMPLETED, h.last("t-skill").status().state(), () -> "final: " + h.last("t-skill"));
        assertEquals(List.of("save"), seenByTheCall, "the start (with the skill's call) was awaited before it ran");
    }

    @Test
    void aTurnWhoseCallMayChangeTheWorkspaceIsAwaitedBeforeTheCallRuns() {
        List<String> saves = run(new CountingStore(), "t-write",
                Reply.tools(Reply.call("c1", "write_file", Map.of("path", "a.txt", "content", "x"))), Reply.text("done"));
        assertEquals("save", saves.get(0), "the turn with write_file (the start has no save of its own): " + saves);
        assertEquals(List.of("soon", "save"), saves.subList(saves.size() - 2, saves.size()), "answer turn, then the end: " + saves);
    }
}
