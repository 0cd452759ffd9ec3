package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.llm.Reply;

/**
 * Issue 16, the TUI on a project directory through a real pseudo-terminal (tmux, 80x24) against the local stack: a
 * plain directory (no git) goes up as a .tar.gz without what its .gitignore leaves out and its change comes back as
 * an offer whose keys the status line shows; with {@code --worker} the TUI starts a worker for its directory and the
 * scripted model's edit lands there in place. Final screens go to target/tui-screens.
 */
class TuiWorkspaceEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
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

    private Tmux tuiIn(Path project, String name, String... extra) throws Exception {
        TerminalClient client = new TerminalClient(home);
        List<String> args = new java.util.ArrayList<>(List.of("--url", stack.url(), "tui"));
        args.addAll(List.of(extra));
        args.add(project.toString());
        Tmux t = Tmux.start(name, 80, 24, client.env(), client.command(args.toArray(String[]::new)), SCREENS);
        t.awaitText("Ask anything", WAIT);
        return t;
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

    private static String lastRow(String screen) {
        List<String> lines = screen.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /**
     * A plain directory is sent (what was skipped is said), the change is offered with its keys in the status line,
     * and `a` applies it to the directory, which stays a plain directory.
     */
    @Test
    void aPlainDirectoryIsSentAndItsChangeAppliesWithA(@TempDir Path tmp) throws Exception {
        Path project = plainProject(tmp.resolve("plainproj"));
        stack.llm.enqueue(Reply.tools(Reply.call("call_p", "write_file", Map.of("path", "hello.txt",
                "content", "hello from the tui\n"))), Reply.text("Rewrote **hello.txt**."));
        try (Tmux t = tuiIn(project, "plain")) {
            t.await("upload mode in the status line", WAIT, s -> lastRow(s).contains("upload mode"));
            t.type("Rewrite the greeting in hello.txt");
            t.keys("Enter");
            String offer = t.await("the change offer", WAIT, s -> s.contains("change of task") && s.contains("a apply"));
            t.save("plain-dir-offer");
            assertTrue(flat(offer).contains("sent as plainproj.tar.gz"), "the TUI says the directory was sent:\n" + offer);
            assertTrue(flat(offer).contains("left out: ignored by .gitignore: build/"), "what is left out is named:\n"
                    + offer);
            assertTrue(Pattern.compile("hello\\.txt\\s+\\+1 -1").matcher(offer).find(), offer);
            assertTrue(lastRow(offer).contains("a apply · d diff · n discard · Esc close"), lastRow(offer));
            assertEquals("old greeting\n", Files.readString(project.resolve("hello.txt")), "nothing applied yet");
            t.keys("a");
            String applied = t.awaitText("applied to", WAIT);
            t.save("plain-dir-applied");
            assertTrue(applied.contains("1 file changed, +1 -1"), applied);
            assertFalse(lastRow(applied).contains("a apply"), "the offer's keys leave the status line: " + applied);
            assertEquals("hello from the tui\n", Files.readString(project.resolve("hello.txt")));
            assertEquals("not sent\n", Files.readString(project.resolve("build/out.bin")));
            assertFalse(Files.exists(project.resolve(".git")), "the directory gains no repository");
        }
    }

    /** In a plain directory a change that no longer applies changes nothing and says why; Esc closes the offer. */
    @Test
    void aConflictInAPlainDirectoryChangesNothingAndEscClosesTheOffer(@TempDir Path tmp) throws Exception {
        Path project = plainProject(tmp.resolve("plainconflict"));
        stack.llm.enqueue(Reply.tools(Reply.call("call_pc", "write_file", Map.of("path", "hello.txt",
                "content", "hello from the tui\n"))), Reply.text("Rewrote **hello.txt**."));
        try (Tmux t = tuiIn(project, "plain-conflict")) {
            t.type("Rewrite the greeting in hello.txt");
            t.keys("Enter");
            t.await("the change offer", WAIT, s -> s.contains("change of task") && s.contains("a apply"));
            Files.writeString(project.resolve("hello.txt"), "my own edit\n");
            t.keys("a");
            String refused = t.awaitText("does not apply", WAIT);
            assertTrue(refused.contains("nothing was"), refused);
            assertEquals("my own edit\n", Files.readString(project.resolve("hello.txt")));
            t.keys("Escape");
            String closed = t.awaitText("closed, not applied", WAIT);
            t.save("plain-dir-closed");
            assertFalse(lastRow(closed).contains("a apply"), closed);
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
        stack.llm.enqueue(Reply.tools(Reply.call("call_we", "edit", Map.of("path", "hello.txt",
                "old_string", "hello world", "new_string", "hello from the worker"))),
                Reply.text("Edited **hello.txt** in place."));
        A2aHttp http = new A2aHttp(stack.gateway);
        try (Tmux t = tuiIn(project, "worker", "--worker", "--access", "full")) {
            String started = t.await("the worker to start", WAIT, s -> s.contains("worker started for")
                    && lastRow(s).contains("worker mode"));
            assertTrue(http.get("/v1/codebases").body().contains("\"workerproj\""), http.get("/v1/codebases").body());
            t.type("Fix the greeting in hello.txt");
            t.keys("Enter");
            String done = t.awaitText("Edited hello.txt in place.", WAIT);
            t.save("worker-mode-edit");
            assertTrue(flat(done).contains("worker mode: worker tui-"), done);
            assertFalse(done.contains("change of task"), "nothing to apply in worker mode:\n" + done);
            assertTrue(done.contains("✓ edit"), done);
            assertEquals("hello from the worker\n", Files.readString(project.resolve("hello.txt")));
            assertTrue(flat(started).contains("(codebase workerproj, log"), started);
            t.keys("C-c");
            t.keys("C-c");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!t.exited() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(t.exited(), "two Ctrl+C quit the TUI");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.get("/v1/codebases").body().contains("\"workerproj\"") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertFalse(http.get("/v1/codebases").body().contains("\"workerproj\""), "the TUI's worker deregistered");
    }
}
