package run.codetether.cli.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import run.codetether.platform.json.Json;

class TurnTest {
    private final Turn turn = new Turn(0);

    private boolean apply(String json, long at) throws Exception {
        JsonNode e = Json.mapper().readTree(json);
        return turn.apply(e, at);
    }

    private static String status(String state, String text, String meta) {
        return "{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_" + state + "\""
                + (text == null ? "" : ",\"message\":{\"parts\":[{\"text\":\"" + text + "\"}]}") + "},\"metadata\":" + meta + "}}";
    }

    @Test
    void partialTextReplacesAndATaskEndsOnce() throws Exception {
        apply(status("WORKING", "Hel", "{\"step\":1,\"partial\":true}"), 1);
        apply(status("WORKING", "Hello wor", "{\"step\":1,\"partial\":true}"), 2);
        assertEquals(1, turn.items().size());
        assertEquals("Hello wor", ((TurnItem.Text) turn.items().get(0)).text());
        assertTrue(apply(status("COMPLETED", "Hello world", "{\"usage\":{\"tokens_in\":10,\"tokens_out\":3,\"cost_usd\":null,\"priced\":false}}"), 3));
        assertEquals("Hello world", turn.answer());
        assertEquals("10 in / 3 out tokens, cost unpriced", turn.usage().footer());
    }

    @Test
    void aTurnsUsageOnItsFirstCallsStartIsSummedAndTheCallStillShows() throws Exception {
        String usage = "\"usage\":{\"tokens_in\":1000,\"tokens_out\":10,\"cost_usd\":null,\"priced\":false}";
        apply(status("WORKING", null, "{\"step\":1,\"provider\":\"p\",\"model\":\"m\",\"tool\":\"read_file\","
                + "\"call_id\":\"c1\",\"arguments\":{\"path\":\"a.txt\"}," + usage + "}"), 1_000_000);
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"read_file\",\"call_id\":\"c1\",\"result\":\"A\"}"),
                2_000_000);
        apply(status("WORKING", null, "{\"step\":2,\"provider\":\"p\",\"model\":\"m\",\"tool\":\"list_dir\","
                + "\"call_id\":\"c2\",\"arguments\":{}," + usage + "}"), 3_000_000);
        assertEquals("2,000 in / 20 out tokens, cost unpriced", turn.usage().footer(), "the per-turn usage, summed");
        assertEquals(2, turn.items().size(), () -> "one line per call: " + turn.items());
        ToolCall first = ((TurnItem.Tool) turn.items().get(0)).call();
        assertEquals("read_file", first.name);
        assertEquals("A", first.result);
        assertEquals("list_dir", ((TurnItem.Tool) turn.items().get(1)).call().name);
    }

    private static String chunk(String text, int step, long offset, boolean append) {
        return "{\"artifactUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"append\":" + append
                + ",\"lastChunk\":false,\"artifact\":{\"artifactId\":\"answer-t\",\"name\":\"answer\","
                + "\"parts\":[{\"text\":\"" + text + "\"}],\"metadata\":{\"partial\":true,\"step\":" + step
                + ",\"text_offset\":" + offset + "}}}}";
    }

    @Test
    void answerChunksAddUpPerStepOnceEachAndTheFinishedAnswerIsTheAnswer() throws Exception {
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"call_id\":\"c1\"}"), 1_000_000);
        apply(chunk("Hel", 2, 0, false), 2_000_000);
        ToolCall c = ((TurnItem.Tool) turn.items().get(0)).call();
        assertEquals(ToolCall.Status.DONE, c.status(), "the model writes again: the call has ended");
        apply(chunk("lo wor", 2, 3, true), 3_000_000);
        apply(chunk("lo wor", 2, 3, true), 3_000_000); // delivered twice: placed at its offset, not repeated
        apply(chunk("ld", 2, 9, true), 4_000_000);
        assertEquals(2, turn.items().size());
        assertEquals("Hello world", ((TurnItem.Text) turn.items().get(1)).text());
        assertNull(turn.answer(), "a chunk is not the answer yet");
        assertEquals("Hello world", turn.lastStreamedText());
        apply("{\"artifactUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"append\":false,\"lastChunk\":true,"
                + "\"artifact\":{\"artifactId\":\"answer-t\",\"name\":\"answer\",\"parts\":[{\"text\":\"Hello world\"}]}}}",
                5_000_000);
        assertTrue(apply(status("COMPLETED", "Hello world", "{}"), 6_000_000));
        assertEquals("Hello world", turn.answer());
        assertEquals(2, turn.items().size(), "the finished answer adds no second text");
    }

    @Test
    void aSubscriptionMidStreamStartsFromTheTextSoFarThenTakesTheDeltas() throws Exception {
        apply("{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},"
                + "\"artifacts\":[{\"artifactId\":\"answer-t\",\"name\":\"answer\",\"parts\":[{\"text\":\"Hello wor\"}],"
                + "\"metadata\":{\"partial\":true,\"step\":1}}]}}", 1);
        apply(chunk("ld", 1, 9, true), 2);
        assertEquals(1, turn.items().size());
        assertEquals("Hello world", ((TurnItem.Text) turn.items().get(0)).text());
        assertNull(turn.answer());
    }

    @Test
    void aToolRunsUntilTheNextEventAndKeepsItsOutput() throws Exception {
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"call_id\":\"c1\",\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}"), 1_000_000);
        apply(status("WORKING", "a.txt", "{\"tool\":\"bash\",\"call_id\":\"c1\",\"partial\":true,\"output\":true}"), 2_000_000);
        ToolCall c = ((TurnItem.Tool) turn.items().get(0)).call();
        assertEquals(ToolCall.Status.RUNNING, c.status());
        assertEquals("command=ls", c.arguments);
        apply(status("WORKING", "Done", "{\"step\":2,\"partial\":true}"), 41_000_000);
        assertEquals(ToolCall.Status.DONE, c.status());
        assertEquals(40, c.millis(99_000_000));
        assertEquals("a.txt", c.output());
    }

    @Test
    void cachedTokensTheProviderReportedShowInTheFooter() throws Exception {
        apply(status("COMPLETED", "done", "{\"usage\":{\"tokens_in\":1200,\"tokens_out\":30,"
                + "\"cache_read_tokens\":20000,\"cache_write_tokens\":0,\"cost_usd\":0.0123,\"priced\":true}}"), 1);
        assertEquals("1,200 in / 30 out / 20,000 cache read tokens, $0.01", turn.usage().footer());
    }

    @Test
    void theUpdateThatEndsACallGivesItsLineTheResultOrTheError() throws Exception {
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"read\",\"call_id\":\"c1\"}"), 1_000_000);
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"read\",\"call_id\":\"c1\",\"result\":\"line 1\"}"), 6_000_000);
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"call_id\":\"c2\"}"), 7_000_000);
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"call_id\":\"c2\",\"error\":\"exit 2\"}"), 9_000_000);
        assertEquals(2, turn.items().size(), "one line per call, not one per update");
        ToolCall read = ((TurnItem.Tool) turn.items().get(0)).call();
        ToolCall bash = ((TurnItem.Tool) turn.items().get(1)).call();
        assertEquals(ToolCall.Status.DONE, read.status());
        assertEquals("line 1", read.output());
        assertEquals(5, read.millis(99_000_000));
        assertEquals(ToolCall.Status.FAILED, bash.status());
        assertEquals("exit 2", bash.output());
    }

    @Test
    void swarmProgressIsNotAToolButTheSwarmToolIs() throws Exception {
        apply(status("WORKING", "swarm s1 started", "{\"tool\":\"swarm\",\"swarm_id\":\"s1\",\"call_id\":\"k\"}"), 1);
        apply(status("WORKING", "[swarm] subtask a dispatched", "{\"tool\":\"swarm\",\"swarm_id\":\"s1\",\"subtask_id\":\"a\",\"subtask_status\":\"dispatched\"}"), 2);
        assertInstanceOf(TurnItem.Tool.class, turn.items().get(0));
        assertInstanceOf(TurnItem.Progress.class, turn.items().get(1));
        assertEquals("dispatched", turn.swarm().agents().get(0).status());
    }

    @Test
    void theOldCamelCaseCallIdIsNoLongerReadAndADispatchCarriesTheSubtasksTitle() throws Exception {
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"callId\":\"c1\"}"), 1);
        assertTrue(turn.items().stream().noneMatch(i -> i instanceof TurnItem.Tool),
                "no writer sends callId: an update without call_id opens no tool call");
        apply(status("WORKING", "[swarm] subtask a dispatched", "{\"swarm_id\":\"s1\",\"subtask_id\":\"a\","
                + "\"subtask_status\":\"dispatched\",\"title\":\"Write the parser\"}"), 2);
        assertEquals("Write the parser", turn.swarm().agents().get(0).title());
    }

    @Test
    void aBrokenStreamIsShownAsFailed() throws Exception {
        apply(status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"call_id\":\"c1\"}"), 1);
        turn.abort("the stream ended", 5);
        assertEquals("failed", turn.state());
        assertEquals(ToolCall.Status.CANCELED, ((TurnItem.Tool) turn.items().get(0)).call().status());
        assertNull(turn.answer());
    }
}
