package run.codetether.agent.domain.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/** The update that says a tool call ended shows what it returned (the dashboard's timeline, the TUI's tool line). */
class ShownResultTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    @Test
    void eachCallEndsWithItsResultOrErrorAfterItStartedAndALongResultIsCut() throws Exception {
        String big = "y".repeat(ShownResult.MAX_CHARS * 2);
        h.llm.enqueue(Reply.tools(Reply.call("w1", "write_file", Map.of("path", "big.txt", "content", big))),
                Reply.tools(Reply.call("r1", "read_file", Map.of("path", "big.txt")),
                        Reply.call("r2", "read_file", Map.of("path", "missing.txt"))),
                Reply.text("done"));
        h.run(h.loop(), Commands.start("t-res", "c-res", "moonshotai", "write then read"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-res").status().state());

        List<String> order = new ArrayList<>();
        for (TaskEvent e : h.events.of("t-res")) {
            if (e instanceof TaskEvent.StatusChanged s && s.progress().callId() != null && !s.progress().partial()) {
                order.add(s.progress().callId() + (s.details().containsKey(MetadataKeys.RESULT)
                        || s.details().containsKey(MetadataKeys.ERROR) ? " ended" : " started"));
            }
        }
        assertEquals(List.of("w1 started", "w1 ended", "r1 started", "r1 ended", "r2 started", "r2 ended"), order);

        Object read = ended("t-res", "r1").get(MetadataKeys.RESULT);
        assertTrue(read instanceof String s && s.contains("yyyy") && s.length() < ShownResult.MAX_CHARS + 40
                && s.endsWith("characters)"), String.valueOf(read).substring(0, 60));
        Map<String, Object> missing = ended("t-res", "r2");
        assertFalse(missing.containsKey(MetadataKeys.RESULT), missing.toString());
        assertTrue(String.valueOf(missing.get(MetadataKeys.ERROR)).contains("missing.txt"), missing.toString());
    }

    private Map<String, Object> ended(String taskId, String callId) {
        for (TaskEvent e : h.events.of(taskId)) {
            if (e instanceof TaskEvent.StatusChanged s && callId.equals(s.progress().callId())
                    && (s.details().containsKey(MetadataKeys.RESULT) || s.details().containsKey(MetadataKeys.ERROR))) {
                return s.details();
            }
        }
        throw new AssertionError("no end update for " + callId + ": " + h.events.of(taskId));
    }
}
