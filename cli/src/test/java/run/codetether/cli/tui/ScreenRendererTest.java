package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import run.codetether.cli.LoopbackGateway;
import run.codetether.cli.turn.Turn;

/** The whole 80x24 screen rendered from state, compared as text with fixtures in src/test/resources/screens. */
class ScreenRendererTest {
    private final TuiState state = new TuiState();
    private final RecordingActions actions = new RecordingActions();
    private final TuiController c = new TuiController(state, actions, Path.of("."));
    private final TuiUpdates updates = new TuiUpdates(state, actions, Path.of("."));
    private final ScreenRenderer renderer = new ScreenRenderer();
    private final long t0 = 5_000_000_000L;

    private void event(Turn turn, String json, long at) throws Exception {
        updates.onEvent(turn, LoopbackGateway.JSON.readTree(json), at);
    }

    private static String status(String state, String text, String meta) {
        return "{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"ctx-42\",\"status\":{\"state\":\"TASK_STATE_" + state + "\""
                + (text == null ? "" : ",\"message\":{\"parts\":[{\"text\":\"" + text + "\"}]}") + "},\"metadata\":" + meta + "}}";
    }

    private Turn codingTurn() throws Exception {
        state.gateway = "http://127.0.0.1:8080/";
        for (char ch : "Create hello.txt and count its bytes".toCharArray()) {
            c.onKey(Key.of(String.valueOf(ch)), t0);
        }
        c.onKey(Key.of("Enter"), t0);
        Turn turn = actions.turns.get(0);
        event(turn, "{\"task\":{\"id\":\"t1\",\"contextId\":\"ctx-42\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}", t0);
        event(turn, status("WORKING", null, "{\"step\":1,\"tool\":\"write_file\",\"call_id\":\"c1\",\"arguments\":{\"path\":\"hello.txt\"}}"), t0);
        event(turn, status("WORKING", null, "{\"step\":2,\"tool\":\"bash\",\"call_id\":\"c2\",\"arguments\":{\"command\":\"wc -c hello.txt\"}}"), t0 + 12_000_000L);
        event(turn, status("WORKING", "15 hello.txt", "{\"tool\":\"bash\",\"call_id\":\"c2\",\"partial\":true,\"output\":true}"), t0 + 300_000_000L);
        event(turn, status("WORKING", "Wrote **hello.txt**:\\n\\n```sh\\nwc -c hello.txt\\n```\\n\\nIt has 15 bytes.", "{\"step\":3,\"partial\":true}"), t0 + 1_400_000_000L);
        return turn;
    }

    private void assertScreen(String fixture, String actual) throws IOException {
        Path out = Path.of("target/screens", fixture);
        Files.createDirectories(out.getParent());
        Files.writeString(out, actual);
        try (InputStream in = getClass().getResourceAsStream("/screens/" + fixture)) {
            assertTrue(in != null, "no fixture " + fixture + "; the rendered screen is in " + out.toAbsolutePath());
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual, "screen differs; see " + out.toAbsolutePath());
        }
    }

    /** Issue 16: a task's change to the checkout, inline: files with +/-, the keys, the diff on d, the outcome. */
    @Test
    void aChangeOfferShowsItsFilesKeysDiffAndOutcome() throws Exception {
        Turn turn = codingTurn();
        event(turn, status("COMPLETED", "Done", "{}"), t0 + 2_000_000_000L);
        byte[] diff = "diff --git a/hello.txt b/hello.txt\n--- a/hello.txt\n+++ b/hello.txt\n@@ -1 +1 @@\n-old\n+new\n"
                .getBytes(StandardCharsets.UTF_8);
        var change = new run.codetether.cli.workspace.ChangesApplier.Change(diff, 1, 1, 1, "main", "abc", null, null);
        updates.onChanges(new TuiActions.Changes("t1", new ChangeOffer("t1", Path.of("/w/p"), change,
                List.of(new run.codetether.cli.workspace.ChangesApplier.FileStat("hello.txt", 1, 1)),
                ChangeOffer.State.OFFERED, "", false), null));
        String offered = renderer.render(state, 80, 24, t0 + 2_100_000_000L).text();
        assertTrue(offered.contains("◇ change of task t1 to /w/p: 1 file, +1 -1"), offered);
        assertTrue(offered.contains("hello.txt  +1 -1") && offered.contains("a apply · d show diff · n discard"), offered);
        assertTrue(!offered.contains("+new"), "the diff waits for d:\n" + offered);
        assertTrue(offered.contains("━ change offered: a apply · d diff · n discard"), offered);
        c.onKey(Key.of("d"), t0);
        String shown = renderer.render(state, 80, 24, t0 + 2_200_000_000L).text();
        assertTrue(shown.contains("+new") && shown.contains("-old") && shown.contains("d hide diff"), shown);
        c.onKey(Key.of("a"), t0);
        updates.onApplied(new TuiActions.Applied("t1", "1 file changed, +1 -1 applied to /w/p", null));
        String applied = renderer.render(state, 80, 24, t0 + 2_300_000_000L).text();
        assertTrue(applied.contains("✓ 1 file changed, +1 -1 applied to /w/p") && !applied.contains("a apply"), applied);
    }

    @Test
    void aFinishedCodingTaskAt80x24() throws Exception {
        Turn turn = codingTurn();
        event(turn, status("COMPLETED", "Wrote **hello.txt**:\\n\\n```sh\\nwc -c hello.txt\\n```\\n\\nIt has 15 bytes.",
                "{\"usage\":{\"inputTokens\":1200,\"outputTokens\":80,\"costUsd\":0.0123}}"), t0 + 1_500_000_000L);
        ScreenRenderer.Frame frame = renderer.render(state, 80, 24, t0 + 2_000_000_000L);
        assertEquals(24, frame.lines().size());
        for (AttributedString line : frame.lines()) {
            assertEquals(80, line.columnLength(), "every line fills the width: " + line);
        }
        assertScreen("chat-80x24.txt", frame.text());
    }

    @Test
    void theRunningToolShowsASpinnerAndItsOutput() throws Exception {
        state.gateway = "g";
        for (char ch : "go".toCharArray()) {
            c.onKey(Key.of(String.valueOf(ch)), t0);
        }
        c.onKey(Key.of("Enter"), t0);
        Turn turn = actions.turns.get(0);
        event(turn, status("WORKING", null, "{\"step\":1,\"tool\":\"bash\",\"call_id\":\"c1\",\"arguments\":{\"command\":\"mvn test\"}}"), t0);
        event(turn, status("WORKING", "[INFO] Building\\n[INFO] Tests run: 3", "{\"tool\":\"bash\",\"call_id\":\"c1\",\"partial\":true,\"output\":true}"), t0);
        String screen = renderer.render(state, 80, 24, t0 + 2_300_000_000L).text();
        assertTrue(screen.contains("bash command=\"mvn test\"  2.3s"), screen);
        assertTrue(screen.contains("▏ [INFO] Tests run: 3"), screen);
        assertTrue(screen.contains("task running · Ctrl+C cancels"), screen);
    }

    @Test
    void theModelSelectorOverlay() throws Exception {
        state.gateway = "g";
        c.onKey(Key.of("C-m"), t0);
        updates.onModels(new TuiActions.Models(List.of(
                new TuiState.ModelChoice("anthropic", "claude-sonnet-4-20250514", 200_000, "$3.00 / $15.00"),
                new TuiState.ModelChoice("local", "qwen2.5-coder", 32_768, null)), null));
        assertScreen("model-selector-80x24.txt", renderer.render(state, 80, 24, t0).text());
    }

    @Test
    void theSwarmViewListsEveryAgent() throws Exception {
        state.gateway = "g";
        for (char ch : "/swarm refactor".toCharArray()) {
            c.onKey(Key.of(String.valueOf(ch)), t0);
        }
        c.onKey(Key.of("Enter"), t0);
        Turn turn = actions.turns.get(0);
        event(turn, status("WORKING", "planned 3 subtasks in 2 stages", "{\"swarm_id\":\"s\",\"phase\":\"running\",\"subtasks\":3}"), t0);
        for (String id : List.of("a", "b", "c")) {
            event(turn, status("WORKING", "subtask " + id + " dispatched", "{\"swarm_id\":\"s\",\"subtask_id\":\"" + id
                    + "\",\"subtask_status\":\"dispatched\",\"completed\":0,\"total\":3}"), t0);
        }
        event(turn, status("WORKING", "subtask a: bash", "{\"swarm_id\":\"s\",\"subtask_id\":\"a\",\"subtask_status\":\"running\","
                + "\"subtask_metadata\":{\"tool\":\"bash\",\"call_id\":\"x\",\"usage\":{\"tokens_in\":900,\"tokens_out\":40,\"cost_usd\":0.004,\"priced\":true}}}"), t0);
        event(turn, status("WORKING", "subtask b completed", "{\"swarm_id\":\"s\",\"subtask_id\":\"b\",\"subtask_status\":\"completed\",\"completed\":1,\"total\":3}"), t0);
        assertEquals(TuiState.Mode.SWARM, state.mode());
        assertScreen("swarm-80x24.txt", renderer.render(state, 80, 24, t0).text());
        c.onKey(Key.of("Tab"), t0);
        c.onKey(Key.of("Enter"), t0);
        assertTrue(renderer.render(state, 80, 24, t0).text().contains("Agent b"), "Tab then Enter shows the second agent");
    }

    @Test
    void theWebviewLayoutAt120Columns() throws Exception {
        codingTurn();
        c.onKey(Key.of("C-b"), t0);
        String screen = renderer.render(state, 120, 30, t0 + 2_000_000_000L).text();
        assertTrue(screen.contains("Inspector (F3)"), screen);
        assertTrue(screen.contains(" Session"), screen);
        assertTrue(screen.contains("WEBVIEW"), screen);
    }

    @Test
    void theCtrlCNoticeShowsAt80ColumnsBesideLongRunFigures() throws Exception {
        codingTurn();
        state.sessionUsage = new run.codetether.cli.turn.Usage(7_553_000, 12_345, 0, 0, null, false);
        c.onKey(Key.of("C-c"), t0 + 2_000_000_000L);
        List<AttributedString> lines = renderer.render(state, 80, 24, t0 + 2_100_000_000L).lines();
        String bar = lines.get(lines.size() - 1).toString();
        assertTrue(bar.contains("canceling task t1"), bar);
        assertTrue(actions.calls.contains("cancel t1"), "the first Ctrl+C cancels the running task: " + actions.calls);
    }

    @Test
    void aTinyTerminalSaysSo() {
        assertTrue(renderer.render(state, 30, 8, t0).text().startsWith("terminal too small (30x8;"));
    }
}
