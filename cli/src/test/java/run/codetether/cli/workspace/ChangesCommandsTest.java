package run.codetether.cli.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.cli.CodetetherCliTest.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.cli.CodetetherCliTest.Run;
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
        Path repo = TestRepos.withOldA(tmp.resolve("repo"));
        String diff = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n";
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + task(diff) + "}";

        Run d = run("--url", gateway.url(), "diff", "t1");
        assertEquals(0, d.exit(), d.err());
        assertEquals(diff, d.out());
        assertEquals("GetTask", gateway.rpc.get(0).path("method").asText());

        Run a = run("--url", gateway.url(), "apply", "t1", "--dir", repo.toString());
        assertEquals(0, a.exit(), a.err());
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")));
        assertTrue(a.out().contains("  a.txt\n1 file changed, +1 -1 applied to"), a.out());

        Run again = run("--url", gateway.url(), "apply", "t1", "--dir", repo.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("the change of task t1 does not apply"), again.err());
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")));
    }

    @Test
    void aTaskThatChangedNothingSaysSo() {
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"id\":\"t2\",\"artifacts\":[]}}";
        Run d = run("--url", gateway.url(), "diff", "t2");
        assertEquals(1, d.exit());
        assertEquals("codetether: task t2 changed no file (it has no changes artifact)\n", d.err());
    }

    @Test
    void runRepoSendsTheWorkspaceInMessageMetadata() {
        gateway.json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":"
                + "{\"state\":\"TASK_STATE_COMPLETED\"}}}}";
        Run r = run("--url", gateway.url(), "run", "--no-stream", "--repo", "https://git.example.invalid/r.git@dev",
                "--push", "codetether/x", "fix it");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"git\":{\"url\":\"https://git.example.invalid/r.git\",\"ref\":\"dev\"},\"push\":{\"branch\":"
                + "\"codetether/x\"}}", gateway.rpc.get(0).at("/params/message/metadata/workspace").toString());
        assertEquals(Map.of("url", "git@host.invalid:org/r.git"), run.codetether.cli.command.RunCommandAccess
                .workspace("git@host.invalid:org/r.git", null, null).get("git"));
        Run bad = run("--url", gateway.url(), "run", "--ref", "main", "fix it");
        assertTrue(bad.err().contains("--ref and --push need --repo"), bad.err());
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
}
