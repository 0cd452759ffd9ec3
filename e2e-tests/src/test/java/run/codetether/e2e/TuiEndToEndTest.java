package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.git.Git;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/**
 * The TUI through a real pseudo-terminal (tmux, 80x24) against the local stack with a scripted model: what a user
 * types and what the pane then shows (issue 16's workspace modes too: a checkout, a plain directory, a worker). Each test's final screen is saved under target/tui-screens as a text fixture.
 */
class TuiEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SCREENS = Path.of("target/tui-screens");

    static LocalStack stack;

    @TempDir
    Path home;

    @BeforeAll
    static void stack() throws Exception {
        if (!Tmux.available()) {
            throw new IllegalStateException("tmux is needed for the TUI tests (apt-get install tmux; .ci/run installs it)");
        }
        stack = LocalStack.get();
    }

    @AfterAll
    static void tmuxServer() {
        Tmux.killServer();
    }

    /**
     * The TUI in {@code home} (its HOME: the home directory is never sent, so its tasks carry no workspace; the test
     * JVM's own directory is this repository's checkout, which a TUI started there would send).
     */
    private Tmux tui(String name, String... extra) throws Exception {
        return tuiIn(home, name, extra);
    }

    private Tmux tuiIn(Path project, String name, String... extra) throws Exception {
        TerminalClient client = new TerminalClient(home);
        List<String> args = new java.util.ArrayList<>(List.of("--url", stack.url(), "tui"));
        args.addAll(List.of(extra));
        args.add(project.toString());
        Tmux t = Tmux.start(name, 80, 24, client.env(), client.command(args.toArray(String[]::new)), SCREENS);
        t.awaitText("Ask anything", WAIT);
        return t;
    }

    /**
     * Issue 16: on a 256-colour terminal the first frame is drawn before JLine's terminal is ready (the terminal in
     * raw mode from that moment). Keys typed as soon as it shows reach the TUI as keys: the prompt and its Enter
     * arrive whole (in the terminal's cooked mode Enter would arrive as a newline and send nothing).
     */
    @Test
    void keysTypedAtTheEarlyFirstFrameReachTheTui() throws Exception {
        TerminalClient client = new TerminalClient(home);
        List<String> cmd = new java.util.ArrayList<>(List.of("env", "TERM=tmux-256color"));
        cmd.addAll(client.command("--url", stack.url(), "tui", home.toString()));
        try (Tmux t = Tmux.start("early", 80, 24, client.env(), cmd, SCREENS)) {
            t.awaitText("Ask anything", WAIT);
            t.type("Remember the word MANGO");
            t.keys("Enter");
            String screen = t.awaitText("Done.", WAIT);
            t.save("early-frame-keys");
            assertTrue(screen.contains("› Remember the word MANGO"), screen);
        }
    }

    @Test
    void aPromptStreamsAnAnswerWithItsToolCallLinesAndCost() throws Exception {
        try (Tmux t = tui("prompt")) {
            t.type("Create hello.txt and count its bytes");
            t.keys("Enter");
            t.awaitText("write_file", WAIT);
            String screen = t.await("the answer and its footer", WAIT,
                    s -> s.contains("Wrote hello.txt (15 bytes).") && s.contains("out tokens"));
            t.save("prompt-tool-calls");
            // each tool line names the call's arguments as the agent reported them (issue 16), and bash its output
            // (the scripted call's arguments are a Map.of: their order differs from run to run)
            assertTrue(screen.lines().anyMatch(l -> l.contains("✓ write_file ") && l.contains("path=hello.txt")), screen);
            assertTrue(screen.contains("✓ bash command=\"wc -c hello.txt\""), screen);
            assertTrue(screen.contains("15 hello.txt"), screen);
            assertEquals(1, count(screen, "Wrote hello.txt"), "the answer shows once:\n" + screen);
            assertTrue(Pattern.compile("━ [\\d,]+ in / [\\d,]+ out tokens").matcher(screen).find(), screen);
        }
    }

    @Test
    void theModelSelectorOpensWithCtrlMAndSwitchesTheModel() throws Exception {
        try (Tmux t = tui("model")) {
            t.raw("\u001b[109;5u"); // Ctrl+M as kitty/foot/WezTerm report it (a plain terminal sends Enter's byte)
            String picker = t.await("the model selector", WAIT, s -> s.contains("Select model") && !s.contains("loading…"));
            // the gateway's catalog (/v1/models): models with their context size and price per million tokens
            assertTrue(!picker.contains("does not serve") && picker.contains("ctx"), picker);
            assertTrue(Pattern.compile("\\$[\\d.]+ / \\$[\\d.]+|unpriced").matcher(picker).find(), picker);
            t.save("model-selector");
            t.type("local/switched-model");
            t.keys("Enter");
            t.awaitText("model set to local/switched-model", WAIT);
            t.type("Which model are you?");
            t.keys("Enter");
            String screen = t.awaitText("The model switched-model says", WAIT);
            t.save("model-switched");
            assertTrue(screen.contains("int answer = 42;"), "code block rendered:\n" + screen);
            RecordedRequest last = stack.llm.requests().stream()
                    .filter(r -> r.rawBody().contains("Which model are you?")).reduce((a, b) -> b).orElseThrow();
            assertEquals("switched-model", last.body().path("model").asText());
        }
    }

    @Test
    void sessionsListsAndResumes() throws Exception {
        try (Tmux t = tui("sessions")) {
            t.type("Remember the word PINEAPPLE");
            t.keys("Enter");
            t.awaitText("Done.", WAIT);
            t.type("/new");
            t.keys("Enter");
            t.awaitText("new session started", WAIT);
            t.type("/sessions");
            t.keys("Enter");
            String list = t.awaitText("Remember the word PINEAPPLE", WAIT);
            assertTrue(list.contains("Sessions"), list);
            t.save("sessions");
            t.keys("Enter");
            String resumed = t.awaitText("resumed session", WAIT);
            t.save("resumed");
            assertTrue(resumed.contains("› Remember the word PINEAPPLE"), resumed);
            assertTrue(resumed.contains("Done."), "the agent's answer is back:\n" + resumed);
        }
    }

    @Test
    void theSwarmViewShowsEverySubAgent() throws Exception {
        try (Tmux t = tui("swarm")) {
            t.type("/swarm Refactor the three modules");
            t.keys("Enter");
            String view = t.await("three agents", WAIT, s -> s.contains("alpha") && s.contains("beta") && s.contains("gamma"));
            assertTrue(view.contains("SWARM"), view);
            String done = t.await("the swarm to finish", Duration.ofSeconds(120), s -> s.contains("3/3 done"));
            t.save("swarm-view");
            assertTrue(Pattern.compile("alpha\\s+completed").matcher(done).find(), done);
            t.keys("Tab");
            t.keys("Enter");
            String detail = t.awaitText("Agent beta", WAIT);
            assertTrue(detail.contains("second part") || detail.contains("beta"), detail);
            // "3/3 done" is the sub-agents; swarm-service then asks the model to aggregate their answers. Left
            // running, that call could take a reply the next test queued (CI: whichever comes first): the swarm's
            // turn must end here, after its aggregation call.
            t.keys("F2");
            t.await("the swarm's turn to end", Duration.ofSeconds(120), s -> s.lines().anyMatch(l ->
                    l.startsWith("━ message")));
            assertTrue(stack.llm.requests().stream().anyMatch(r -> r.rawBody().contains("coordinator of a swarm")),
                    "swarm-service asked the model to aggregate the sub-agents' answers");
        }
    }

    @Test
    void aThemeChangeInConfigTomlRepaints() throws Exception {
        TerminalClient client = new TerminalClient(home);
        Files.writeString(client.configFile(), "[ui]\ntheme = \"dark\"\n");
        try (Tmux t = tui("theme")) {
            String before = t.captureWithColours();
            Files.writeString(client.configFile(), "[ui]\ntheme = \"solarized-light\"\n");
            t.awaitText("theme solarized-light (config.toml changed)", WAIT);
            String after = t.captureWithColours();
            t.save("theme-solarized-light");
            assertNotEquals(before.replaceAll("\\s+", ""), after.replaceAll("\\s+", ""), "the colours changed");
            assertTrue(after.contains("Ask anything"), after);
        }
    }

    /**
     * Issue 16 "resizes cleanly": the frame is laid out again at every new size (prompt and status line on the last
     * rows, nothing left of the old frame), a terminal below 40x10 is told so, and back at 80x24 the chat is whole.
     */
    @Test
    void aResizeRedrawsTheFrameAtTheNewSize() throws Exception {
        try (Tmux t = tui("resize")) {
            t.type("Remember the word KIWI");
            t.keys("Enter");
            t.awaitText("Done.", WAIT);
            t.resize(120, 40);
            String wide = t.await("the frame at 120x40", WAIT, s -> lastRow(s, 40).contains("? help")
                    && s.lines().anyMatch(l -> l.startsWith("━ message") && l.length() == 120));
            assertTrue(wide.lines().findFirst().orElse("").contains("◆ CodeTether"), wide);
            assertTrue(wide.contains("› Remember the word KIWI") && wide.contains("Done."), wide);
            t.save("resized-120x40");

            t.resize(30, 8);
            String small = t.awaitText("terminal too small", WAIT);
            assertTrue(small.contains("30x8"), small);

            t.resize(80, 24);
            String back = t.await("the frame at 80x24 again", WAIT, s -> lastRow(s, 24).contains("? help")
                    && s.contains("› Remember the word KIWI") && !s.contains("too small"));
            assertEquals(1, count(back, "◆ CodeTether"), back);
            assertTrue(back.lines().allMatch(l -> l.length() <= 80), back);
            t.type("still typing");
            t.awaitText("› still typing", WAIT);
        }
    }

    /** Row {@code rows} (1-based) of a captured pane of that height. */
    private static String lastRow(String screen, int rows) {
        List<String> lines = screen.lines().toList();
        return lines.size() >= rows ? lines.get(rows - 1) : "";
    }

    @Test
    void ctrlCCancelsTheRunningTaskAndASecondQuits() throws Exception {
        try (Tmux t = tui("cancel")) {
            t.type("Take your time: sleep a while");
            t.keys("Enter");
            t.await("the bash call to run", WAIT, s -> s.contains(" bash") && s.contains("task running"));
            t.keys("C-c");
            t.awaitText("canceling task", WAIT);
            t.awaitText("canceled", WAIT);
            t.save("canceled");
            quitWithTwoCtrlC(t);
        }
    }

    private static void quitWithTwoCtrlC(Tmux t) throws Exception {
        t.keys("C-c");
        t.keys("C-c");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!t.exited() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(t.exited(), "two Ctrl+C quit the TUI");
    }

    /** A git checkout with hello.txt committed ("old greeting"). */
    private static Path checkout(Path dir) throws Exception {
        Files.createDirectories(dir);
        Git.run(dir, "init", "-q", "-b", "main");
        Git.run(dir, "config", "user.email", "tui@example.invalid");
        Git.run(dir, "config", "user.name", "TUI test");
        Files.writeString(dir.resolve("hello.txt"), "old greeting\n");
        Git.run(dir, "add", "hello.txt");
        Git.run(dir, "commit", "-q", "-m", "start");
        return dir;
    }

    /**
     * Issue 16: started inside a git checkout, the TUI sends it as the new conversation's workspace (as `run` does),
     * and the task's change comes back as an inline offer: files with +/-, `d` shows the diff, `a` applies it to the
     * files on disk.
     */
    @Test
    void theTuiWorksOnItsCheckoutAndAppliesTheChangeWithA(@TempDir Path tmp) throws Exception {
        Path project = checkout(tmp.resolve("project"));
        stack.llm.enqueue(Reply.tools(Reply.call("call_h", "write_file", java.util.Map.of("path", "hello.txt",
                "content", "hello from the tui\n"))), Reply.text("Rewrote **hello.txt**."));
        try (Tmux t = tuiIn(project, "workspace")) {
            t.type("Rewrite the greeting in hello.txt");
            t.keys("Enter");
            String offer = t.await("the change offer", WAIT, s -> s.contains("change of task") && s.contains("a apply"));
            assertTrue(offer.contains("sent as project.bundle"), "the TUI says the checkout was sent:\n" + offer);
            assertTrue(offer.contains("Workspace ready: the user's checkout"), offer);
            assertTrue(Pattern.compile("hello\\.txt\\s+\\+1 -1").matcher(offer).find(), offer);
            assertEquals("old greeting\n", Files.readString(project.resolve("hello.txt")), "nothing applied yet");
            t.keys("d");
            String diff = t.awaitText("+hello from the tui", WAIT);
            assertTrue(diff.contains("-old greeting"), diff);
            t.save("workspace-offer-diff");
            t.keys("a");
            String applied = t.awaitText("applied to", WAIT);
            t.save("workspace-applied");
            assertTrue(applied.contains("1 file changed, +1 -1"), applied);
            assertEquals("hello from the tui\n", Files.readString(project.resolve("hello.txt")));
        }
    }

    /**
     * A change that no longer applies (the file was edited meanwhile) is refused with git's reason and nothing
     * changes; `n` discards the offer and the file stays as the user left it.
     */
    @Test
    void aConflictingChangeIsRefusedAndNDiscardsItLeavingTheFile(@TempDir Path tmp) throws Exception {
        Path project = checkout(tmp.resolve("project"));
        stack.llm.enqueue(Reply.tools(Reply.call("call_h2", "write_file", java.util.Map.of("path", "hello.txt",
                "content", "hello from the tui\n"))), Reply.text("Rewrote **hello.txt**."));
        try (Tmux t = tuiIn(project, "refuse")) {
            t.type("Rewrite the greeting in hello.txt");
            t.keys("Enter");
            t.await("the change offer", WAIT, s -> s.contains("change of task") && s.contains("a apply"));
            Files.writeString(project.resolve("hello.txt"), "my own edit\n");
            t.keys("a");
            String refused = t.awaitText("does not apply", WAIT);
            t.save("workspace-refused");
            assertTrue(refused.contains("nothing was") && refused.contains("a try again"), refused);
            assertEquals("my own edit\n", Files.readString(project.resolve("hello.txt")));
            t.keys("n");
            String discarded = t.awaitText("not applied", WAIT);
            assertTrue(discarded.contains("codetether apply"), discarded);
            assertEquals("my own edit\n", Files.readString(project.resolve("hello.txt")));
        }
    }

    /**
     * Issue 16: the TUI sends its access mode (`--access`, or [agent] access_mode), so a mutating call waits: the
     * approval shows inline and `y` lets the call run; `n` on the next one denies it and the model reads that.
     */
    @Test
    void anApprovalShowsInlineAndKeysAnswerIt() throws Exception {
        stack.llm.enqueue(
                Reply.tools(Reply.call("call_ap", "write_file", java.util.Map.of("path", "approved.txt", "content", "yes\n"))),
                Reply.tools(Reply.call("call_dn", "bash", java.util.Map.of("command", "rm approved.txt"))),
                Reply.text("Kept approved.txt."));
        try (Tmux t = tui("approve", "--access", "approve")) {
            t.type("Write approved.txt, then remove it");
            t.keys("Enter");
            String ask = t.await("the approval", WAIT, s -> s.contains("? approve write_file") && s.contains("y approve"));
            t.save("approval");
            assertTrue(ask.contains("approved.txt"), ask);
            t.keys("y");
            t.await("the second approval", WAIT, s -> s.contains("? approve bash"));
            t.keys("n");
            String done = t.awaitText("Kept approved.txt.", WAIT);
            assertTrue(done.contains("✓ write_file"), done);
        }
        // this task's calls by its prompt: a call of another test's leftover work may come in between
        List<RecordedRequest> calls = stack.llm.requests().stream()
                .filter(r -> r.rawBody().contains("Write approved.txt, then remove it")).toList();
        assertEquals(3, calls.size(), "three model calls: " + calls.stream().map(RecordedRequest::bodyText).toList());
        assertTrue(!calls.get(1).toolResults().get(0).content().toLowerCase(java.util.Locale.ROOT).contains("denied"),
                calls.get(1).bodyText());
        String denied = calls.get(2).toolResults().get(calls.get(2).toolResults().size() - 1).content();
        assertTrue(denied.contains("The user denied this bash call"), "the model reads the refusal: " + denied);
    }

    /** Issue 16: Ctrl+O expands a finished tool call's whole output, and collapses it to its last line again. */
    @Test
    void ctrlOExpandsAndCollapsesToolResults() throws Exception {
        stack.llm.enqueue(Reply.tools(Reply.call("call_l", "bash", java.util.Map.of("command",
                "for w in one two three four; do echo line-$w; done"))), Reply.text("Listed four lines."));
        try (Tmux t = tui("ctrl-o")) {
            t.type("List four lines");
            t.keys("Enter");
            String collapsed = t.awaitText("Listed four lines.", WAIT);
            assertTrue(collapsed.contains("line-four") && collapsed.contains("(+3 lines, Ctrl+O)"), collapsed);
            assertTrue(!collapsed.contains("line-one"), collapsed);
            t.keys("C-o");
            String expanded = t.await("the whole output", WAIT, s -> s.contains("line-one") && s.contains("line-two"));
            t.save("tool-results-expanded");
            assertTrue(expanded.contains("line-three") && !expanded.contains("Ctrl+O)"), expanded);
            t.keys("C-o");
            String again = t.await("collapsed again", WAIT, s -> !s.contains("line-one"));
            assertTrue(again.contains("(+3 lines, Ctrl+O)"), again);
        }
    }

    /** A plain directory: hello.txt ("old greeting"), a .gitignore'd build/ with a file in it. */
    private static Path plainProject(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("build"));
        Files.writeString(dir.resolve("hello.txt"), "old greeting\n");
        Files.writeString(dir.resolve(".gitignore"), "build/\n");
        Files.writeString(dir.resolve("build/out.bin"), "not sent\n");
        return dir;
    }

    /** The screen with its line breaks and indentation as single spaces (a note wraps where the width says). */
    private static String flat(String screen) {
        return screen.replaceAll("\\s+", " ");
    }

    /**
     * Starts the TUI in {@code project} with the scripted model's write_file of hello.txt queued, sends the prompt and
     * waits for the change offer.
     */
    private Tmux offerIn(Path project, String name, String callId) throws Exception {
        stack.llm.enqueue(Reply.tools(Reply.call(callId, "write_file", java.util.Map.of("path", "hello.txt",
                "content", "hello from the tui\n"))), Reply.text("Rewrote **hello.txt**."));
        Tmux t = tuiIn(project, name);
        t.await("upload mode in the status line", WAIT, s -> lastRow(s, 24).contains("upload mode"));
        t.type("Rewrite the greeting in hello.txt");
        t.keys("Enter");
        t.await("the change offer", WAIT, s -> s.contains("change of task") && s.contains("a apply"));
        return t;
    }

    /**
     * A plain directory is sent (what was skipped is said), the change is offered with its keys in the status line,
     * and `a` applies it to the directory, which stays a plain directory.
     */
    @Test
    void aPlainDirectoryIsSentAndItsChangeAppliesWithA(@TempDir Path tmp) throws Exception {
        Path project = plainProject(tmp.resolve("plainproj"));
        try (Tmux t = offerIn(project, "plain", "call_p")) {
            String offer = t.save("plain-dir-offer");
            assertTrue(flat(offer).contains("sent as plainproj.tar.gz"), "the TUI says the directory was sent:\n"
                    + offer);
            assertTrue(flat(offer).contains("left out: ignored by .gitignore: build/"), "what is left out is named:\n"
                    + offer);
            assertTrue(Pattern.compile("hello\\.txt\\s+\\+1 -1").matcher(offer).find(), offer);
            assertTrue(lastRow(offer, 24).contains("a apply · d diff · n discard · Esc close"), lastRow(offer, 24));
            assertEquals("old greeting\n", Files.readString(project.resolve("hello.txt")), "nothing applied yet");
            t.keys("a");
            String applied = t.awaitText("applied to", WAIT);
            t.save("plain-dir-applied");
            assertTrue(applied.contains("1 file changed, +1 -1"), applied);
            assertFalse(lastRow(applied, 24).contains("a apply"), "the offer's keys leave the status line: " + applied);
            assertEquals("hello from the tui\n", Files.readString(project.resolve("hello.txt")));
            assertEquals("not sent\n", Files.readString(project.resolve("build/out.bin")));
            assertFalse(Files.exists(project.resolve(".git")), "the directory gains no repository");
        }
    }

    /** In a plain directory a change that no longer applies changes nothing and says why; Esc closes the offer. */
    @Test
    void aConflictInAPlainDirectoryChangesNothingAndEscClosesTheOffer(@TempDir Path tmp) throws Exception {
        Path project = plainProject(tmp.resolve("plainconflict"));
        try (Tmux t = offerIn(project, "plain-conflict", "call_pc")) {
            Files.writeString(project.resolve("hello.txt"), "my own edit\n");
            t.keys("a");
            String refused = t.awaitText("does not apply", WAIT);
            assertTrue(refused.contains("nothing was"), refused);
            assertEquals("my own edit\n", Files.readString(project.resolve("hello.txt")));
            t.keys("Escape");
            String closed = t.awaitText("closed, not applied", WAIT);
            t.save("plain-dir-closed");
            assertFalse(lastRow(closed, 24).contains("a apply"), closed);
            assertEquals("my own edit\n", Files.readString(project.resolve("hello.txt")));
            t.type("a");
            t.awaitText("› a", WAIT); // with the offer closed, a is typed into the prompt
        }
    }

    /**
     * `tui --worker`: the TUI starts a worker for its directory (no worker served it), says so and shows worker mode;
     * the scripted model's edit lands in the file in place with no offer; quitting stops the worker, which
     * deregisters.
     */
    @Test
    void withWorkerTheEditLandsInTheDirectoryInPlace(@TempDir Path tmp) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("workerproj"));
        Files.writeString(project.resolve("hello.txt"), "hello world\n");
        stack.llm.enqueue(Reply.tools(Reply.call("call_we", "edit", java.util.Map.of("path", "hello.txt",
                "old_string", "hello world", "new_string", "hello from the worker"))),
                Reply.text("Edited **hello.txt** in place."));
        A2aHttp http = new A2aHttp(stack.gateway);
        try (Tmux t = tuiIn(project, "worker", "--worker", "--access", "full")) {
            // a JVM starts and registers meanwhile: on a loaded machine that is most of a minute
            String started = t.await("the worker to start", Duration.ofSeconds(150),
                    s -> s.contains("worker started for") && lastRow(s, 24).contains("worker mode"));
            assertTrue(http.get("/v1/codebases").body().contains("\"workerproj\""), http.get("/v1/codebases").body());
            t.type("Fix the greeting in hello.txt");
            t.keys("Enter");
            String done = t.awaitText("Edited hello.txt in place.", Duration.ofSeconds(120));
            t.save("worker-mode-edit");
            assertTrue(flat(done).contains("worker mode: worker tui-"), done);
            assertFalse(done.contains("change of task"), "nothing to apply in worker mode:\n" + done);
            assertTrue(done.contains("✓ edit"), done);
            assertEquals("hello from the worker\n", Files.readString(project.resolve("hello.txt")));
            assertTrue(flat(started).contains("(codebase workerproj, log"), started);
            quitWithTwoCtrlC(t);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.get("/v1/codebases").body().contains("\"workerproj\"") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertFalse(http.get("/v1/codebases").body().contains("\"workerproj\""), "the TUI's worker deregistered");
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

}
