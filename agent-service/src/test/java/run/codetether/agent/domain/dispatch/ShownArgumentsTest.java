package run.codetether.agent.domain.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/** The update that says a tool call started shows its arguments (the dashboard's timeline, the TUI's tool line). */
class ShownArgumentsTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    @Test
    void aToolCallsStartShowsItsArgumentsAndALongOneIsCut() throws Exception {
        String big = "x".repeat(ShownArguments.MAX_CHARS * 2);
        h.llm.enqueue(Reply.tools(Reply.call("w1", "write_file", Map.of("path", "small.txt", "content", "hi")),
                        Reply.call("w2", "write_file", Map.of("path", "big.txt", "content", big))),
                Reply.text("wrote both"));
        h.run(h.loop(), Commands.start("t-args", "c-args", "moonshotai", "write two files"));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-args").status().state());

        Map<String, Object> small = started("t-args", "w1");
        // what a client reads: the event as it travels on Kafka
        String wire = new String(ContractJson.write(small), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(wire.contains("\"path\":\"small.txt\""), wire);
        Object cut = started("t-args", "w2").get(MetadataKeys.ARGUMENTS);
        assertTrue(cut instanceof String s && s.length() < ShownArguments.MAX_CHARS + 40 && s.contains("characters)"),
                String.valueOf(cut).substring(0, 80));
    }

    private Map<String, Object> started(String taskId, String callId) {
        for (TaskEvent e : h.events.of(taskId)) {
            if (e instanceof TaskEvent.StatusChanged s && callId.equals(s.progress().callId())
                    && !s.progress().partial() && s.details().containsKey(MetadataKeys.ARGUMENTS)) {
                return s.details();
            }
        }
        throw new AssertionError("no start update with arguments for " + callId + ": " + h.events.of(taskId));
    }
}
