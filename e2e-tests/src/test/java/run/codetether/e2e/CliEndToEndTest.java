package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code codetether run} as a process against the local stack: what a script sees on stdout, and the exit code. */
class CliEndToEndTest {
    static LocalStack stack;

    @TempDir
    Path home;

    @BeforeAll
    static void stack() throws Exception {
        stack = LocalStack.get();
    }

    private record Result(int exit, String out, String err) {}

    private Result cli(String... args) throws Exception {
        TerminalClient client = new TerminalClient(home);
        List<String> cmd = new java.util.ArrayList<>(client.command("--url", stack.url()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(client.env());
        // the tests run inside this repository's checkout: it is not the tasks' workspace (WorkspaceEndToEndTest)
        pb.environment().put("CODETETHER_WORKSPACE", "off");
        Process p = pb.start();
        p.getOutputStream().close();
        var err = p.getErrorStream();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String error = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI ended");
        return new Result(p.exitValue(), out, error);
    }

    @Test
    void runShowsToolLinesTheAnswerOnceAndTheCostFooter() throws Exception {
        Result r = cli("run", "Create hello.txt and count its bytes");
        assertEquals(0, r.exit(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("▸ write_file") && lines[0].contains("✓"), r.out());
        assertTrue(lines[1].startsWith("▸ bash") && lines[1].contains("✓"), r.out());
        assertEquals(1, r.out().split(Pattern.quote("Wrote **hello.txt** (15 bytes)."), -1).length - 1, "answer once:\n" + r.out());
        assertTrue(Pattern.compile("(?m)^─ [\\d,]+ in / [\\d,]+ out tokens, (\\$[\\d.]+|cost unpriced) · [\\d.]+m?s$")
                .matcher(r.out()).find(), r.out());
        assertTrue(!r.out().contains("[working]"), r.out());
    }

    @Test
    void sessionsRemembersTheRunAndResumesItsTranscript() throws Exception {
        Result first = cli("run", "Remember the word MANGO");
        assertEquals(0, first.exit(), first.err());
        Result list = cli("sessions", "--all");
        assertTrue(list.out().contains("Remember the word MANGO"), list.out() + list.err());
        String id = list.out().split("\\s+")[0];
        Result resumed = cli("sessions", "resume", id);
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("› Remember the word MANGO"), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("Done."), resumed.out());
        Result json = cli("--json", "sessions", "--all");
        assertTrue(json.out().contains("\"contextId\""), json.out() + json.err());
    }

    @Test
    void modelsAndStatsAreServedByThisGateway() throws Exception {
        Result models = cli("models");
        assertEquals(0, models.exit(), models.err());
        assertTrue(models.out().contains("models from"), models.out());
        Result stats = cli("stats");
        assertEquals(0, stats.exit(), stats.err());
        assertTrue(stats.out().startsWith("day "), stats.out());
        Result json = cli("--json", "stats", "--days", "2");
        assertEquals(0, json.exit(), json.err());
        assertTrue(json.out().contains("\"days\"") && json.out().contains("\"rows\""), json.out());
        Result bad = cli("stats", "--from", "2026-03-02", "--to", "2026-03-01");
        assertEquals(64, bad.exit(), bad.err());
    }
}
