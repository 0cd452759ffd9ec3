package run.codetether.cli.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * A real checkout with uncommitted and untracked files goes out as a bundle that a clone turns back into the same
 * files (the user's index and refs untouched), and a diff made on that clone, wrapped as the {@code changes}
 * artifact, applies back onto the checkout with the real git; one that does not apply changes nothing.
 */
class CheckoutArchiveTest {
    @TempDir Path tmp;

    @Test
    void aDirtyCheckoutTravelsAsABundleAndItsChangeAppliesBack() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        GitRunner git = new GitRunner(repo);
        git.ok(Map.of(), "init", "-q", "-b", "main");
        git.ok(Map.of(), "config", "user.email", "t@localhost");
        git.ok(Map.of(), "config", "user.name", "t");
        Files.writeString(repo.resolve("App.java"), "class App {}\n");
        Files.writeString(repo.resolve(".gitignore"), "build/\n");
        git.ok(Map.of(), "add", "-A");
        git.ok(Map.of(), "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve("App.java"), "class App { int x; }\n");
        Files.writeString(repo.resolve("New.txt"), "untracked\n");
        Files.createDirectories(repo.resolve("build"));
        Files.writeString(repo.resolve("build/out.txt"), "ignored\n");
        String statusBefore = git.ok(Map.of(), "status", "--porcelain").text();

        CheckoutArchive.Archive archive = CheckoutArchive.of(repo);

        assertEquals(WorkspaceExtension.BUNDLE_MEDIA_TYPE, archive.mediaType());
        assertTrue(archive.description().contains("2 uncommitted files"), archive.description());
        assertEquals(statusBefore, git.ok(Map.of(), "status", "--porcelain").text(), "the user's index is untouched");
        assertFalse(git.run(Map.of(), null, "rev-parse", "-q", "--verify", WorkspaceExtension.WORKTREE_REF).exit() == 0,
                "the temporary ref is deleted");

        Path bundle = tmp.resolve("x.bundle");
        Files.write(bundle, archive.bytes());
        Path clone = tmp.resolve("clone");
        new GitRunner(tmp).ok(Map.of(), "clone", "-q", bundle.toString(), clone.toString());
        GitRunner cg = new GitRunner(clone);
        cg.ok(Map.of(), "fetch", "-q", bundle.toString(), WorkspaceExtension.WORKTREE_REF + ":refs/heads/wt");
        cg.ok(Map.of(), "checkout", "-q", "wt");
        assertEquals("class App { int x; }\n", Files.readString(clone.resolve("App.java")));
        assertEquals("untracked\n", Files.readString(clone.resolve("New.txt")));
        assertFalse(Files.exists(clone.resolve("build/out.txt")), "ignored files stay home");

        // the task edits, renames and deletes; its diff comes back as the changes artifact
        Files.writeString(clone.resolve("App.java"), "class App { int x; int y; }\n");
        cg.ok(Map.of(), "mv", "New.txt", "Moved.txt");
        cg.ok(Map.of(), "add", "-A");
        byte[] diff = cg.ok(Map.of(), "diff", "--cached", "--binary", "-M", "HEAD").out();
        JsonNode task = task(diff);
        ChangesApplier.Change change = ChangesApplier.find(task).orElseThrow();
        assertEquals(2, change.filesChanged());

        ChangesApplier.Applied applied = ChangesApplier.apply(repo, "t1", change, false);

        assertEquals("class App { int x; int y; }\n", Files.readString(repo.resolve("App.java")));
        assertEquals("untracked\n", Files.readString(repo.resolve("Moved.txt")));
        assertFalse(Files.exists(repo.resolve("New.txt")));
        assertTrue(applied.summary().contains("2 files changed"), applied.summary());

        // applied twice, it no longer applies: a clear refusal and nothing changed
        ChangesApplier.NotApplicable refused = assertThrows(ChangesApplier.NotApplicable.class,
                () -> ChangesApplier.apply(repo, "t1", change, false));
        assertTrue(refused.getMessage().contains("does not apply"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--3way"), refused.getMessage());
        assertEquals("class App { int x; int y; }\n", Files.readString(repo.resolve("App.java")));
    }

    @Test
    void aTaskWithoutChangesHasNoArtifact() throws Exception {
        assertTrue(ChangesApplier.find(new ObjectMapper().readTree("{\"artifacts\": []}")).isEmpty());
    }

    /**
     * Issue 16: a plain directory travels as a .tar.gz of what its .gitignore rules leave (the ignored and a nested
     * repository named in the description, nothing written into the directory), and a change comes back onto it with
     * git apply's checks: one that applies changes the file, one that does not changes nothing and says why.
     */
    @Test
    void aPlainDirectoryTravelsWithoutItsIgnoredFilesAndItsChangeAppliesBackChecked() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(dir.resolve("a.txt"), "old\n");
        Files.writeString(dir.resolve(".gitignore"), "build/\n*.log\n");
        Files.createDirectories(dir.resolve("build"));
        Files.writeString(dir.resolve("build/out.o"), "binary");
        Files.writeString(dir.resolve("run.log"), "noise");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/Main.java"), "class Main {}\n");
        TestRepos.withOldA(dir.resolve("vendor"));
        new GitRunner(Files.createDirectories(dir.resolve("empty-repo"))).ok(Map.of(), "init", "-q");
        CheckoutArchive.Archive archive = CheckoutArchive.of(dir);
        assertEquals(WorkspaceExtension.GZIP_MEDIA_TYPE, archive.mediaType());
        assertEquals("plain.tar.gz", archive.name());
        assertTrue(archive.description().endsWith("(not a git checkout), 3 files (left out: ignored by .gitignore: "
                + "build/, run.log; nested git repositories: vendor/; unreadable: 'empty-repo/' does not have a commit "
                + "checked out)"), archive.description());
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.write(tmp.resolve("w.tar.gz"), archive.bytes());
        Process tar = new ProcessBuilder("tar", "-xzf", tmp.resolve("w.tar.gz").toString(), "-C", out.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("old\n", Files.readString(out.resolve("a.txt")));
        assertEquals("class Main {}\n", Files.readString(out.resolve("src/Main.java")));
        assertTrue(Files.exists(out.resolve(".gitignore")));
        assertTrue(!Files.exists(out.resolve("build")) && !Files.exists(out.resolve("run.log")), "ignored files stay");
        assertTrue(!Files.exists(dir.resolve(".git")), "the directory gains no repository");

        byte[] diff = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n"
                .getBytes(StandardCharsets.UTF_8);
        ChangesApplier.Change change = ChangesApplier.find(task(diff)).orElseThrow();
        Files.writeString(dir.resolve("a.txt"), "mine\n");
        ChangesApplier.NotApplicable refused = assertThrows(ChangesApplier.NotApplicable.class,
                () -> ChangesApplier.apply(dir, "t", change, false));
        assertTrue(refused.getMessage().contains("nothing was changed"), refused.getMessage());
        assertEquals("mine\n", Files.readString(dir.resolve("a.txt")));
        assertThrows(IllegalArgumentException.class, () -> ChangesApplier.apply(dir, "t", change, true),
                "--3way needs a repository");
        Files.writeString(dir.resolve("a.txt"), "old\n");
        ChangesApplier.Applied applied = ChangesApplier.apply(dir, "t", change, false);
        assertEquals("new\n", Files.readString(dir.resolve("a.txt")));
        assertEquals(List.of("a.txt"), applied.files());
    }

    private static JsonNode task(byte[] diff) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode task = json.createObjectNode();
        ObjectNode artifact = task.putArray("artifacts").addObject().put("name", WorkspaceExtension.CHANGES_ARTIFACT);
        artifact.putArray("parts").addObject().put("text", new String(diff, StandardCharsets.UTF_8))
                .put("mediaType", WorkspaceExtension.DIFF_MEDIA_TYPE);
        ((com.fasterxml.jackson.databind.node.ArrayNode) artifact.get("parts")).addObject().putObject("data")
                .put("files_changed", 2).put("insertions", 1).put("deletions", 1).put("base_ref", "main")
                .put("base_commit", "0123456789abcdef");
        return task;
    }

    @Test
    void aCheckoutOverTheHistoryLimitTravelsAsHeadWithoutItsHistory() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("big"));
        GitRunner git = new GitRunner(repo);
        git.ok(Map.of(), "init", "-q", "-b", "main");
        git.ok(Map.of(), "config", "user.email", "t@localhost");
        git.ok(Map.of(), "config", "user.name", "t");
        for (int i = 0; i < 3; i++) {
            Files.writeString(repo.resolve("App.java"), "class App { int v = " + i + "; }\n");
            git.ok(Map.of(), "add", "-A");
            git.ok(Map.of(), "commit", "-q", "-m", "version " + i);
        }
        String head = git.ok(Map.of(), "rev-parse", "HEAD").text();
        String refsBefore = git.ok(Map.of(), "for-each-ref").text();
        Files.writeString(repo.resolve("New.txt"), "untracked\n");

        CheckoutArchive.Archive archive = CheckoutArchive.of(repo, 0);

        assertTrue(archive.description().contains("without its history") && archive.description().contains(
                CheckoutArchive.HISTORY_MAX_ENV + "=0"), archive.description());
        assertEquals(refsBefore, git.ok(Map.of(), "for-each-ref").text(), "the user's refs are untouched");
        Path bundle = tmp.resolve("shallow.bundle");
        Files.write(bundle, archive.bytes());
        Path clone = tmp.resolve("shallow-clone");
        new GitRunner(tmp).ok(Map.of(), "clone", "-q", bundle.toString(), clone.toString());
        GitRunner cg = new GitRunner(clone);
        assertEquals("1", cg.ok(Map.of(), "rev-list", "--count", "HEAD").text(), "one commit, no history");
        assertEquals("main", cg.ok(Map.of(), "rev-parse", "--abbrev-ref", "HEAD").text());
        assertEquals(git.ok(Map.of(), "rev-parse", "HEAD^{tree}").text(), cg.ok(Map.of(), "rev-parse", "HEAD^{tree}")
                .text(), "HEAD's files exactly");
        assertTrue(cg.ok(Map.of(), "log", "-1", "--format=%B").text().contains("version 2")
                && cg.ok(Map.of(), "log", "-1", "--format=%B").text().contains(head), "its subject and original id");
        cg.ok(Map.of(), "fetch", "-q", bundle.toString(), WorkspaceExtension.WORKTREE_REF + ":refs/heads/wt");
        assertEquals(cg.ok(Map.of(), "rev-parse", "HEAD").text(), cg.ok(Map.of(), "rev-parse", "wt^").text(),
                "the worktree commit sits on the parentless HEAD");
        cg.ok(Map.of(), "checkout", "-q", "wt");
        assertEquals("untracked\n", Files.readString(clone.resolve("New.txt")));

        // under the limit the same checkout carries its history
        Path full = tmp.resolve("full-clone");
        Files.write(bundle, CheckoutArchive.of(repo, 1L << 30).bytes());
        new GitRunner(tmp).ok(Map.of(), "clone", "-q", bundle.toString(), full.toString());
        assertEquals("3", new GitRunner(full).ok(Map.of(), "rev-list", "--count", "HEAD").text());
    }
}
