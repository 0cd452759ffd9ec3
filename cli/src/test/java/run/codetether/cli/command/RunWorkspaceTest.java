package run.codetether.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.cli.CodetetherCliTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.cli.CodetetherCliTest.Run;
import run.codetether.cli.LoopbackGateway;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * {@code run --workspace DIR --apply} against a loopback gateway: the checkout travels as a git bundle file part
 * named by {@code metadata.workspace.archive.file_ref} (with its uncommitted and untracked files), stderr says what
 * was sent, and the completed task's change is applied to the checkout, or refused with nothing changed.
 */
class RunWorkspaceTest {
    @TempDir Path tmp;
    private LoopbackGateway gateway;
    private Path repo;

    @BeforeEach
    void start() throws Exception {
        gateway = new LoopbackGateway();
        repo = Files.createDirectories(tmp.resolve("repo"));
        git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("a.txt"), "old\n");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve("notes.txt"), "untracked, travels too\n");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void theCheckoutTravelsAsABundleAndTheChangeIsAppliedToIt() throws Exception {
        gateway.json = completed("diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n");
        Run r = run("--url", gateway.url(), "run", "--no-stream", "--workspace", repo.toString(), "--apply",
                "fix", "it");

        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode message = gateway.rpc.get(0).at("/params/message");
        assertEquals("{\"archive\":{\"file_ref\":1}}", message.at("/metadata/workspace").toString());
        JsonNode part = message.at("/parts/1");
        assertEquals(WorkspaceExtension.BUNDLE_MEDIA_TYPE, part.path("mediaType").asText());
        assertEquals("repo.bundle", part.path("filename").asText());
        Path bundle = tmp.resolve("sent.bundle");
        Files.write(bundle, Base64.getDecoder().decode(part.path("raw").asText()));
        String heads = git(repo, "bundle", "list-heads", bundle.toString());
        assertTrue(heads.contains(WorkspaceExtension.WORKTREE_REF) && heads.contains("refs/heads/main"), heads);
        assertTrue(r.err().matches(
                "(?s)codetether: workspace: git checkout \\S+repo at main \\([0-9a-f]{12}\\), 2 files,"
                + " with 1 uncommitted file \\(changed, new or deleted\\), sent as repo.bundle \\([\\d.]+ (B|KiB)\\)\n"),
                r.err());
        assertEquals("GetTask", gateway.rpc.get(1).path("method").asText());
        assertEquals("new\n", Files.readString(repo.resolve("a.txt")));
        assertTrue(r.out().contains("  a.txt\n1 file changed, +1 -1 applied to"), r.out());
    }

    @Test
    void aChangeThatDoesNotApplyIsRefusedAndNothingChanges() throws Exception {
        gateway.json = completed("diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-other\n+new\n");
        Run r = run("--url", gateway.url(), "run", "--no-stream", "--workspace", repo.toString(), "--apply", "fix");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("the change of task t1 does not apply to")
                && r.err().contains("nothing was changed"),
                r.err());
        assertEquals("old\n", Files.readString(repo.resolve("a.txt")));
    }

    @Test
    void theDefaultIsTheCheckoutOfANewConversationOnly() throws Exception {
        Path sub = Files.createDirectories(repo.resolve("src"));
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Map<String, String> env = Map.of();
        assertEquals(Optional.of(repo.toRealPath()), choose(null, false, false, false, null, env, sub)
                .map(RunWorkspaceTest::real));
        assertEquals(Optional.empty(), choose(null, false, false, false, null, env, plain));
        assertEquals(Optional.empty(), choose(null, true, false, false, null, env, sub));
        assertEquals(Optional.empty(), choose(null, false, true, false, null, env, sub));
        assertEquals(Optional.empty(), choose(null, false, false, true, null, env, sub));
        assertEquals(Optional.empty(), choose(null, false, false, false, "swarm", env, sub));
        assertEquals(Optional.empty(), choose(null, false, false, false, null, Map.of(RunWorkspace.ENV, "off"), sub));
        assertEquals(Optional.of(plain), choose(plain, false, false, false, null, Map.of(RunWorkspace.ENV, "off"), sub));
        assertThrows(IllegalArgumentException.class, () -> choose(plain, true, false, false, null, env, sub));
        assertThrows(IllegalArgumentException.class, () -> choose(plain, false, true, false, null, env, sub));
        IllegalArgumentException continued = assertThrows(IllegalArgumentException.class,
                () -> choose(plain, false, false, true, null, env, sub));
        assertTrue(continued.getMessage().contains("works on its workspace as it is"), continued.getMessage());
    }

    /**
     * Issue 16: the TUI's new conversation sends its checkout, else its plain directory; never the home directory,
     * one above it or the root (with the reason); nothing by choice (flag, environment, a skill without files).
     */
    @Test
    void theTuiSendsItsCheckoutOrItsPlainDirectoryButNeverTheHomeDirectory() throws Exception {
        Path sub = Files.createDirectories(repo.resolve("src"));
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = Map.of("HOME", home.toString());
        assertEquals(repo.toRealPath(), real(RunWorkspace.forNewConversation(false, null, env, sub).dir()));
        assertEquals(new RunWorkspace.Choice(plain, null), RunWorkspace.forNewConversation(false, null, env, plain));
        RunWorkspace.Choice atHome = RunWorkspace.forNewConversation(false, null, env, home);
        assertEquals(null, atHome.dir());
        assertTrue(atHome.why().equals(home + " is your home directory, not a project"), atHome.why());
        assertTrue(RunWorkspace.forNewConversation(false, null, env, tmp).why().contains("or above it"));
        assertEquals(new RunWorkspace.Choice(null, null), RunWorkspace.forNewConversation(true, null, env, plain));
        assertEquals(new RunWorkspace.Choice(null, null), RunWorkspace.forNewConversation(false, "rlm", env, plain));
        assertEquals(new RunWorkspace.Choice(null, null), RunWorkspace.forNewConversation(false, null,
                Map.of("HOME", home.toString(), RunWorkspace.ENV, "off"), plain));
    }

    @Test
    void applyCannotGoWithDetach() {
        Run r = run("--url", gateway.url(), "run", "--detach", "--apply", "--workspace", repo.toString(), "fix");
        assertEquals(64, r.exit());
        assertTrue(r.err().contains("--apply waits for the task's change; it cannot go with --detach"), r.err());
        assertTrue(gateway.rpc.isEmpty(), "nothing was sent");
    }

    private static Optional<Path> choose(Path explicit, boolean none, boolean repo, boolean continues, String skill,
            Map<String, String> env, Path cwd) throws Exception {
        return RunWorkspace.choose(new RunWorkspace.Ask(explicit, none, repo, continues, skill), env, cwd);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String completed(String diff) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode result = json.createObjectNode();
        ObjectNode task = result.putObject("task").put("id", "t1").put("contextId", "c1");
        task.putObject("status").put("state", "TASK_STATE_COMPLETED");
        ObjectNode artifact = task.putArray("artifacts").addObject().put("artifactId", "a1")
                .put("name", WorkspaceExtension.CHANGES_ARTIFACT);
        var parts = artifact.putArray("parts");
        parts.addObject().put("text", diff).put("mediaType", WorkspaceExtension.DIFF_MEDIA_TYPE);
        parts.addObject().putObject("data").put("files_changed", 1).put("insertions", 1).put("deletions", 1)
                .put("base_ref", "refs/codetether/worktree").put("base_commit", "0123456789abcdef0123");
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}";
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
