package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/**
 * A model turn that a further step follows reports its own usage on that step's first tool update (the start of
 * its first call, with the arguments), not on a WORKING status of its own: one record less per step on
 * {@code tasks.events}, and the running sum clients keep still reaches the final total.
 */
class TurnUsageOnToolStartTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    /** No first-chunk hold: the answer's chunk always goes out, so the record counts below do not hang on timing. */
    private AgentLoop loopStreamingEveryChunk() {
        return LoopHarness.loop(h.settings().withFirstChunkHold(Duration.ZERO), h.providers(), h.toolClient, h.events,
                h.sessions);
    }

    private static List<TaskEvent.StatusChanged> working(List<TaskEvent> events) {
        return events.stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.WORKING).map(TaskEvent.StatusChanged.class::cast).toList();
    }

    @Test
    void aTurnsUsageRidesOnItsFirstCallsStartAndEachStepWritesOneRecordLess() throws Exception {
        Path ws = h.tools.workspace("c-u");
        Files.writeString(ws.resolve("one.txt"), "ONE");
        AgentLoop loop = loopStreamingEveryChunk();
        h.llm.enqueue(Reply.tools(Reply.call("u1", "read_file", Map.of("path", "one.txt")),
                        Reply.call("u2", "list_dir", Map.of("path", "."))).withUsage(1_000, 10),
                Reply.tools(Reply.call("u3", "read_file", Map.of("path", "one.txt"))).withUsage(2_000, 20),
                Reply.text("done").withUsage(3_000, 30));
        h.run(loop, Commands.start("t-u", "c-u", "moonshotai", "read it"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-u").status().state());

        List<TaskEvent> events = h.events.of("t-u");
        List<TaskEvent.StatusChanged> working = working(events);
        List<TaskEvent.StatusChanged> withUsage = working.stream().filter(s -> s.progress().usage() != null).toList();
        assertEquals(2, withUsage.size(), () -> "one usage update per turn a step follows: " + working);
        for (TaskEvent.StatusChanged s : withUsage) {
            assertTrue(s.progress().tool() != null && s.details().containsKey(MetadataKeys.ARGUMENTS)
                    && !s.details().containsKey(MetadataKeys.RESULT), () -> "usage on a call's start: " + s);
            assertEquals("moonshotai", s.progress().provider(), "the turn's provider rides along");
        }
        assertEquals("u1", withUsage.get(0).progress().callId(), "the turn's first call carries it");
        assertEquals(1_000, withUsage.get(0).progress().usage().tokensIn());
        assertEquals("u3", withUsage.get(1).progress().callId());
        assertEquals(2_000, withUsage.get(1).progress().usage().tokensIn());
        assertEquals(3_000, withUsage.stream().mapToLong(s -> s.progress().usage().tokensIn()).sum(),
                "the running sum of the per-turn updates: every turn but the answer's");
        assertEquals(6_000, h.finalOf("t-u").progress().usage().tokensIn(), "the final status carries the total");
        assertTrue(working.stream().noneMatch(s -> s.progress().tool() == null && s.progress().usage() != null),
                () -> "no model-turn status of its own: " + working);
        // the start status, per call its start and its end (three calls), the answer's chunk, the final status
        assertEquals(1 + 3 * 2 + 1 + 1, events.size(), () -> "records of the task: " + events);
    }

    @Test
    void aMalformedCallsEndCarriesTheUsageWhenNoStartPrecedesIt() throws Exception {
        AgentLoop loop = loopStreamingEveryChunk();
        h.llm.enqueue(Reply.tools(Reply.call("m1", "no_such_tool", Map.of())).withUsage(500, 5),
                Reply.text("sorry").withUsage(700, 7));
        h.run(loop, Commands.start("t-m", "c-m", "moonshotai", "try"));
        List<TaskEvent> events = h.events.of("t-m");
        List<TaskEvent.StatusChanged> withUsage = working(events).stream()
                .filter(s -> s.progress().usage() != null).toList();
        assertEquals(1, withUsage.size(), () -> "events: " + events);
        TaskEvent.StatusChanged end = withUsage.get(0);
        assertEquals("m1", end.progress().callId());
        assertTrue(end.details().containsKey(MetadataKeys.ERROR) || end.details().containsKey(MetadataKeys.RESULT),
                () -> "the call's end (its answer) carries the turn's usage: " + end);
        assertEquals(500, end.progress().usage().tokensIn());
        assertNull(working(events).stream().filter(s -> s.progress().tool() == null && s.progress().usage() != null)
                .findFirst().orElse(null), "no model-turn status of its own");
        assertEquals(1 + 1 + 1 + 1, events.size(), () -> "start, the call's end, the answer's chunk, final: " + events);
    }
}
