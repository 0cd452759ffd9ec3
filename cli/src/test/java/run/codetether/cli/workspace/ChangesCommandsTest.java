package run.codetether.cli.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.LoopbackGateway;
import run.codetether.contracts.a2a.WorkspaceExtension;

/** {@code codetether diff} and {@code apply} against a loopback gateway serving a task with a changes artifact. */
class ChangesCommandsTest {
    @TempDir Path tmp;
    private LoopbackGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void diffPrintsTheChangeAndApplyAppliesItOnceThenRefuses() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        GitRunner git = new GitRunner(repo);
        git.ok(Map.of(), "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("a.txt"), "old\n");
        git.ok(Map.of(), "add", "-A");
        git.ok(Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@localhost", "GIT_COMMITTER_NAME", "t",
                "GIT_COMMITTER_EMAIL", "t@localhost"), "commit", "-q", "-m", "first");
        String diff = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n";
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + task(diff) + "}";

        String[] d = run("--url", gateway.url(), "diff", "t1");
        assertEquals("0", d[0], d[2]);
        assertEquals(diff, d[1]);
        assertEquals("GetTask", gateway.rpc.get(0).path("method").asText());

        String[] a = run("--url", gateway.url(), "apply", "t1", "--dir", repo.toString());
        assertEquals("0", a[0], a[2]);
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")));
        assertTrue(a[1].contains("  a.txt\n1 file changed, +1 -1 applied to"), a[1]);

        String[] again = run("--url", gateway.url(), "apply", "t1", "--dir", repo.toString());
        assertEquals("1", again[0]);
        assertTrue(again[2].contains("the change of task t1 does not apply"), again[2]);
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")));
    }

    @Test
    void aTaskThatChangedNothingSaysSo() {
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"id\":\"t2\",\"artifacts\":[]}}";
        String[] d = run("--url", gateway.url(), "diff", "t2");
        assertEquals("1", d[0]);
        assertEquals("codetether: task t2 changed no file (it has no changes artifact)\n", d[2]);
    }

    @Test
    void runRepoSendsTheWorkspaceInMessageMetadata() {
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":"
                + "{\"state\":\"TASK_STATE_COMPLETED\"}}}}";
        String[] r = run("--url", gateway.url(), "run", "--no-stream", "--repo", "https://git.example.invalid/r.git@dev",
                "--push", "codetether/x", "fix it");
        assertEquals("0", r[0], r[2]);
        assertEquals("{\"git\":{\"url\":\"https://git.example.invalid/r.git\",\"ref\":\"dev\"},\"push\":{\"branch\":"
                + "\"codetether/x\"}}", gateway.rpc.get(0).at("/params/message/metadata/workspace").toString());
        assertEquals(Map.of("url", "git@host.invalid:org/r.git"), run.codetether.cli.command.RunCommandAccess
                .workspace("git@host.invalid:org/r.git", null, null).get("git"));
        String[] bad = run("--url", gateway.url(), "run", "--ref", "main", "fix it");
        assertTrue(bad[2].contains("--ref and --push need --repo"), bad[2]);
    }

    private static String task(String diff) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode task = json.createObjectNode().put("id", "t1");
        ObjectNode artifact = task.putArray("artifacts").addObject().put("name", WorkspaceExtension.CHANGES_ARTIFACT);
        ArrayNode parts = artifact.putArray("parts");
        parts.addObject().put("text", diff).put("mediaType", WorkspaceExtension.DIFF_MEDIA_TYPE);
        parts.addObject().putObject("data").put("files_changed", 1).put("insertions", 1).put("deletions", 1)
                .put("base_ref", "main").put("base_commit", "0123456789abcdef0123");
        return task.toString();
    }

    private static String[] run(String... args) {
        CommandLine cli = CodetetherCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }
}
