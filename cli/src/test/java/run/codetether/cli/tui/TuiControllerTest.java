package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.cli.LoopbackGateway;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.turn.Turn;

/**
 * The TUI's behaviour without a terminal: keys in ({@link TuiController}), stream events and the actions' answers
 * in ({@link TuiUpdates}); state and requested actions out.
 */
class TuiControllerTest {
    private final TuiState state = new TuiState();
    private final RecordingActions actions = new RecordingActions();
    private final TuiController c = new TuiController(state, actions, Path.of("."));
    private final TuiUpdates updates = new TuiUpdates(state, actions, Path.of("."));
    private long now = 1_000_000_000L;

    private void type(String text) {
        for (char ch : text.toCharArray()) {
            c.onKey(Key.of(String.valueOf(ch)), now);
        }
    }

    private void key(String name) {
        now += 10_000_000L;
        c.onKey(Key.of(name), now);
    }

    private static JsonNode json(String s) throws Exception {
        return LoopbackGateway.JSON.readTree(s);
    }

    @Test
    void enterSendsThePromptWithTheChosenModelInTheSession() throws Exception {
        type("/model anthropic/claude-opus-4");
        key("Enter");
        type("fix the parser");
        key("Enter");
        JsonNode params = actions.sent.get(0);
        assertEquals("fix the parser", params.path("message").path("parts").get(0).path("text").asText());
        assertEquals("anthropic", params.path("metadata").path("provider").asText());
        assertEquals("claude-opus-4", params.path("metadata").path("model").asText());
        Turn turn = actions.turns.get(0);
        updates.onEvent(turn, json("{\"task\":{\"id\":\"t1\",\"contextId\":\"ctx-1\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}"), now);
        assertEquals("ctx-1", state.contextId());
        assertTrue(actions.calls.contains("remember ctx-1"));
        updates.onEvent(turn, json("{\"statusUpdate\":{\"taskId\":\"t1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
        type("and add a test");
        key("Enter");
        assertEquals("ctx-1", actions.sent.get(1).path("message").path("contextId").asText(), "the next prompt continues the session");
    }

    /**
     * Issue 16: a new conversation's first task carries the TUI's directory as its workspace (the actions pack the
     * checkout), a later task of it does not; its completion asks for the change, which is offered; a applies it with
     * the diff applied before (the new one includes it), n discards the next; /new starts from the directory again.
     */
    @Test
    void aNewConversationCarriesTheWorkspaceAndItsChangeIsOfferedAppliedOrDiscarded() throws Exception {
        Path root = Path.of("/tmp/project");
        state.accessMode = "approve";
        type("fix it");
        key("Enter");
        assertEquals(Path.of("."), actions.workspaces.get(0), "the first task sends the directory");
        assertEquals("approve", actions.sent.get(0).path("metadata").path("access_mode").asText());
        Turn first = actions.turns.get(0);
        updates.onWorkspace(first, root, "codetether: workspace: git checkout /tmp/project, sent as w.bundle (1 KiB)");
        assertTrue(state.entries().get(1) instanceof Entry.Note n && n.text().startsWith("workspace: git checkout"),
                "the note comes before the task: " + state.entries());
        updates.onEvent(first, json("{\"task\":{\"id\":\"t1\",\"contextId\":\"ctx\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
        updates.onStreamEnd(first, null);
        assertTrue(actions.calls.contains("changes t1 " + root), actions.calls.toString());

        var diff1 = new run.codetether.cli.workspace.ChangesApplier.Change("d1".getBytes(), 1, 1, 1, "HEAD", "abc", null, null);
        updates.onChanges(new TuiActions.Changes("t1", new ChangeOffer("t1", root, diff1,
                List.of(new run.codetether.cli.workspace.ChangesApplier.FileStat("a.txt", 1, 1)),
                ChangeOffer.State.OFFERED, "", false), null));
        key("d");
        assertTrue(state.offer.diffShown(), "d shows the diff");
        key("a");
        assertEquals(ChangeOffer.State.APPLYING, state.offer.state());
        assertTrue(actions.calls.contains("apply t1"));
        assertEquals(null, actions.previous.get(0), "nothing applied before");
        updates.onApplied(new TuiActions.Applied("t1", "1 file changed, +1 -1 applied to /tmp/project", null));
        assertEquals(null, state.offer);
        assertTrue(state.entries().stream().anyMatch(e -> e instanceof Entry.Change(ChangeOffer o)
                && o.state() == ChangeOffer.State.APPLIED), state.entries().toString());

        type("and more");
        key("Enter");
        assertEquals(null, actions.workspaces.get(1), "a later task works on the conversation's workspace as it is");
        Turn second = actions.turns.get(1);
        updates.onEvent(second, json("{\"task\":{\"id\":\"t2\",\"contextId\":\"ctx\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
        updates.onStreamEnd(second, null);
        var diff2 = new run.codetether.cli.workspace.ChangesApplier.Change("d2".getBytes(), 1, 2, 1, "HEAD", "abc", null, null);
        updates.onChanges(new TuiActions.Changes("t2", new ChangeOffer("t2", root, diff2, List.of(), ChangeOffer.State.OFFERED,
                "", false), null));
        key("a");
        assertEquals("d1", new String(actions.previous.get(1)), "the diff applied before goes with the new one");
        updates.onApplied(new TuiActions.Applied("t2", null, "the change of task t2 does not apply; nothing was changed"));
        assertEquals(ChangeOffer.State.REFUSED, state.offer.state());
        key("n");
        assertEquals(null, state.offer);
        assertTrue(state.entries().stream().anyMatch(e -> e instanceof Entry.Change(ChangeOffer o)
                && o.state() == ChangeOffer.State.DISCARDED && o.message().contains("codetether apply t2")));

        type("/new");
        key("Enter");
        type("again");
        key("Enter");
        assertEquals(Path.of("."), actions.workspaces.get(2), "a new conversation sends the directory again");
    }

    /**
     * Issue 16, worker mode: a new conversation's task is bound to the worker's codebase (by the actions, which then
     * call onWorkerWorkspace); every later new task of it names the codebase itself, an answer to a waiting task does
     * not (it continues that task), and the status line names the mode. Nothing is offered: the edits are in place.
     */
    @Test
    void inWorkerModeEveryNewTaskOfTheConversationNamesTheCodebaseAndNothingIsOffered() throws Exception {
        var worker = new WorkspaceMode.Worker(new run.codetether.cli.worker.LocalWorker.Served("cb-1", "app", "laptop"),
                false);
        updates.onWorkspaceMode(worker, null, null);
        assertTrue(new ScreenRenderer().render(state, 80, 24, now).lines().get(23).toString().contains("worker mode"));
        type("fix it");
        key("Enter");
        Turn first = actions.turns.get(0);
        updates.onWorkerWorkspace(first, worker);
        assertTrue(state.entries().get(1) instanceof Entry.Note n && n.text().contains("worker laptop serves")
                && n.text().contains("codebase app"), state.entries().toString());
        updates.onEvent(first, json("{\"task\":{\"id\":\"t1\",\"contextId\":\"ctx\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
        updates.onStreamEnd(first, null);
        assertFalse(actions.calls.stream().anyMatch(x -> x.startsWith("changes")), "no offer: " + actions.calls);
        type("and more");
        key("Enter");
        assertEquals(null, actions.workspaces.get(1));
        assertEquals("cb-1", actions.sent.get(1).path("message").path("metadata").path("workspace").path("codebase")
                .asText(), actions.sent.get(1).toString());
        Turn second = actions.turns.get(1);
        updates.onEvent(second, json("{\"task\":{\"id\":\"t2\",\"contextId\":\"ctx\",\"status\":{\"state\":\"TASK_STATE_INPUT_REQUIRED\"}}}"), now);
        type("yes");
        key("Enter");
        assertEquals("t2", actions.sent.get(2).path("message").path("taskId").asText());
        assertTrue(actions.sent.get(2).path("message").path("metadata").path("workspace").isMissingNode(),
                "an answer continues its task: " + actions.sent.get(2));
    }

    /** A --worker that could not start says why in the chat, and the status line names the mode used instead. */
    @Test
    void aWorkerThatCouldNotStartIsReportedAndTheUploadModeShows() {
        updates.onWorkspaceMode(new WorkspaceMode.Upload(Path.of("/tmp/p")), "--worker: could not start a worker for /tmp/p:"
                + " boom; new conversations upload the directory and offer their change instead", null);
        assertTrue(state.entries().get(0) instanceof Entry.Note n && n.error() && n.text().contains("boom"));
        assertTrue(new ScreenRenderer().render(state, 80, 24, now).lines().get(23).toString().contains("upload mode"));
    }

    /**
     * Issue 16: while an offer is open the status line shows its keys; Esc closes it without applying (even with
     * text in the prompt, which stays), and the keys leave the status line.
     */
    @Test
    void anOpenOffersKeysAreInTheStatusLineAndEscClosesItWithoutApplying() throws Exception {
        Path root = Path.of("/tmp/project");
        type("fix it");
        key("Enter");
        Turn first = actions.turns.get(0);
        updates.onWorkspace(first, root, "codetether: workspace: directory /tmp/project, sent as project.tar.gz (1 KiB)");
        updates.onEvent(first, json("{\"task\":{\"id\":\"t1\",\"contextId\":\"ctx\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
        updates.onStreamEnd(first, null);
        var diff = new run.codetether.cli.workspace.ChangesApplier.Change("d1".getBytes(), 1, 1, 1, "", "", null, null);
        updates.onChanges(new TuiActions.Changes("t1", new ChangeOffer("t1", root, diff, List.of(), ChangeOffer.State.OFFERED,
                "", false), null));
        String status = new ScreenRenderer().render(state, 80, 24, now).lines().get(23).toString();
        assertTrue(status.contains("a apply · d diff · n discard · Esc close"), status);
        type("x");
        key("Esc");
        assertEquals(null, state.offer);
        assertEquals("x", state.input().text());
        assertFalse(actions.calls.stream().anyMatch(x -> x.startsWith("apply")), actions.calls.toString());
        assertTrue(state.entries().stream().anyMatch(e -> e instanceof Entry.Change(ChangeOffer o)
                && o.state() == ChangeOffer.State.DISCARDED && o.message().startsWith("closed, not applied")));
        status = new ScreenRenderer().render(state, 80, 24, now).lines().get(23).toString();
        assertFalse(status.contains("a apply"), status);
    }

    @Test
    void aTaskThatWasNotSentAWorkspaceAsksForNoChange() throws Exception {
        state.workspaceOff = true;
        type("fix it");
        key("Enter");
        assertEquals(null, actions.workspaces.get(0), "--no-workspace");
        updates.onEvent(actions.turns.get(0), json("{\"task\":{\"id\":\"t1\",\"contextId\":\"ctx\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
        updates.onStreamEnd(actions.turns.get(0), null);
        assertFalse(actions.calls.stream().anyMatch(x -> x.startsWith("changes")), actions.calls.toString());
        type("a");
        assertEquals("a", state.input().text(), "with no offer, a is typed");
    }

    @Test
    void ctrlCCancelsTheRunningTaskThenASecondQuits() throws Exception {
        type("long job");
        key("Enter");
        updates.onEvent(actions.turns.get(0), json("{\"task\":{\"id\":\"t9\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}"), now);
        key("C-c");
        assertEquals(List.of("send", "remember c", "cancel t9"), actions.calls);
        assertFalse(state.quit());
        key("C-c");
        assertTrue(state.quit());
    }

    @Test
    void ctrlMOpensTheModelSelectorAndEnterSwitchesTheModel() {
        key("C-m");
        assertEquals(TuiState.Mode.MODEL_PICKER, state.mode());
        assertTrue(actions.calls.contains("models"));
        updates.onModels(new TuiActions.Models(List.of(new TuiState.ModelChoice("anthropic", "claude-opus-4", 200_000, "$15.00 / $75.00"),
                new TuiState.ModelChoice("local", "qwen2.5-coder", 32_768, null)), null));
        type("qwen");
        key("Enter");
        assertEquals(TuiState.Mode.CHAT, state.mode());
        assertEquals("local/qwen2.5-coder", state.modelLabel());
    }

    @Test
    void withoutACatalogATypedProviderSlashModelIsChosen() {
        key("C-m");
        updates.onModels(new TuiActions.Models(List.of(), "this gateway does not serve /v1/models yet"));
        type("local/other-model");
        key("Enter");
        assertEquals("local/other-model", state.modelLabel());
    }

    @Test
    void slashCommandsSwitchLayoutsAndViews() {
        type("/webview");
        key("Enter");
        assertEquals(TuiState.Layout.WEBVIEW, state.layout());
        key("C-b");
        assertEquals(TuiState.Layout.CLASSIC, state.layout());
        key("F2");
        assertEquals(TuiState.Mode.SWARM, state.mode());
        key("Esc");
        assertEquals(TuiState.Mode.CHAT, state.mode());
        type("/sessions");
        key("Enter");
        assertEquals(TuiState.Mode.SESSION_PICKER, state.mode());
        key("Esc");
        type("?");
        assertTrue(state.help());
        key("Esc");
        type("/nonsense");
        key("Enter");
        assertTrue(state.entries().get(state.entries().size() - 1) instanceof Entry.Note n && n.error());
    }

    @Test
    void questionMarkIsTypedWhenThePromptIsNotEmpty() {
        type("why?");
        assertFalse(state.help());
        assertEquals("why?", state.input().text());
    }

    @Test
    void anApprovalIsAnsweredWithOneKey() throws Exception {
        type("edit it");
        key("Enter");
        Turn turn = actions.turns.get(0);
        updates.onEvent(turn, json("{\"statusUpdate\":{\"taskId\":\"t5\",\"contextId\":\"c5\",\"status\":{\"state\":\"TASK_STATE_INPUT_REQUIRED\","
                + "\"message\":{\"parts\":[{\"text\":\"approve?\"},{\"data\":{\"approval_request\":{\"call_id\":\"call-7\",\"tool\":\"edit\","
                + "\"arguments\":{\"path\":\"a.txt\"},\"preview\":null,\"reason\":\"\"}}}]}}}}"), now);
        key("y");
        JsonNode answer = actions.sent.get(1);
        assertEquals("t5", answer.path("message").path("taskId").asText());
        JsonNode approval = answer.path("message").path("parts").get(1).path("data").path("approval");
        assertEquals("call-7", approval.path("call_id").asText());
        assertEquals("approve", approval.path("decision").asText());
    }

    @Test
    void aQuestionIsAnsweredByTypingOnTheSameTask() throws Exception {
        type("do it");
        key("Enter");
        updates.onEvent(actions.turns.get(0), json("{\"statusUpdate\":{\"taskId\":\"t6\",\"contextId\":\"c6\",\"status\":{\"state\":"
                + "\"TASK_STATE_INPUT_REQUIRED\",\"message\":{\"parts\":[{\"text\":\"Which file?\"}]}},\"metadata\":{\"question\":"
                + "{\"question\":\"Which file?\"}}}}"), now);
        type("a.txt");
        key("Enter");
        assertEquals("t6", actions.sent.get(1).path("message").path("taskId").asText());
    }

    @Test
    void atPathAttachesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("notes.md"), "# Notes\nuse tabs\n");
        TuiController inDir = new TuiController(state, actions, dir);
        for (char ch : "summarise @notes.md please".toCharArray()) {
            inDir.onKey(Key.of(String.valueOf(ch)), now);
        }
        inDir.onKey(Key.of("Enter"), now);
        JsonNode parts = actions.sent.get(0).path("message").path("parts");
        assertEquals("summarise @notes.md please", parts.get(0).path("text").asText());
        assertTrue(parts.get(1).path("text").asText().startsWith("Attached file `"), parts.toString());
        assertTrue(parts.get(1).path("text").asText().contains("# Notes\nuse tabs\n"), parts.toString());
    }

    @Test
    void theRalphViewFollowsTheStories() throws Exception {
        type("/ralph prd.json");
        key("Enter");
        assertEquals(TuiState.Mode.RALPH, state.mode());
        assertEquals("ralph", actions.sent.get(0).path("metadata").path("skill").asText());
        assertEquals("prd.json", actions.sent.get(0).path("metadata").path("prd_path").asText());
        Turn turn = actions.turns.get(0);
        String meta = "\"tool\":\"ralph\",\"prd_path\":\"prd.json\"";
        updates.onEvent(turn, json("{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\","
                + "\"message\":{\"parts\":[{\"text\":\"Iteration 1/10: US-001 - Parse the flags\"}]}},\"metadata\":{" + meta
                + ",\"ralph_event\":\"story_started\",\"story_id\":\"US-001\",\"iteration\":1,\"max_iterations\":10}}}"), now);
        updates.onEvent(turn, json("{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},"
                + "\"metadata\":{" + meta + ",\"ralph_event\":\"story_complete\",\"story_id\":\"US-001\",\"passed\":true,"
                + "\"passed_count\":1,\"total\":2}}}"), now);
        String screen = new ScreenRenderer().render(state, 80, 24, now).text();
        assertTrue(screen.contains("Ralph prd.json"), screen);
        assertTrue(screen.contains("1/2 stories pass"), screen);
        assertTrue(screen.contains("US-001   passed   iter 1  Parse the flags"), screen);
    }

    @Test
    void aThemeChangeInConfigApplies() {
        updates.applyConfig(new CliConfig.Loaded(new CliConfig(null, null, "solarized-light", true, null, null), null), true);
        assertEquals("solarized-light", state.theme().name());
    }
}
