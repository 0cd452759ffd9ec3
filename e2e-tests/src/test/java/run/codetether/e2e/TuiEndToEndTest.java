package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import run.codetether.fixtures.llm.RecordedRequest;

/**
 * The TUI through a real pseudo-terminal (tmux, 80x24) against the local stack with a scripted model: what a user
 * types and what the pane then shows. Each test's final screen is saved under target/tui-screens as a text fixture.
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

    private Tmux tui(String name, String... extra) throws Exception {
        TerminalClient client = new TerminalClient(home);
        List<String> args = new java.util.ArrayList<>(List.of("--url", stack.url(), "tui"));
        args.addAll(List.of(extra));
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
        cmd.addAll(client.command("--url", stack.url(), "tui"));
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
            t.keys("C-c");
            t.keys("C-c");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!t.exited() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(t.exited(), "two Ctrl+C quit the TUI");
        }
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

}
