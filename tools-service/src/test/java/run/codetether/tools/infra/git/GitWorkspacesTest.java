package run.codetether.tools.infra.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceResults;
import run.codetether.tools.domain.git.WorkspaceSource;
import run.codetether.fixtures.git.Git;
import run.codetether.fixtures.git.GitDaemon;

/**
 * Git workspaces against a real {@code git daemon} on loopback (receive-pack on): shallow and full clones, refs,
 * the diff applied with {@code git apply} to a fresh clone (binary, rename, deletion, untracked, ignored), commits,
 * the pushed branch on the server, idempotency, refusals before any connection, submodules.
 */
class GitWorkspacesTest {

    @TempDir
    static Path servers;

    static GitDaemon daemon;
    static Path bare;

    @TempDir
    Path root;

    @BeforeAll
    static void serve() throws Exception {
        bare = Git.project(servers, "project");
        daemon = GitDaemon.start(servers);
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    GitWorkspaces loopback() {
        return Workspaces.create(root, Workspaces.gate(List.of(), true, Map.of()), GitCredentials.none(), 1 << 20,
                Optional.empty());
    }

    static WorkspaceSource.Git git(String url, String ref, Integer depth) {
        return new WorkspaceSource.Git(GitUrl.parse(url), ref, depth, false);
    }

    @Test
    void shallowCloneByDefaultOnTheRemotesBranchAndReusedAfterwards() {
        GitWorkspaces w = loopback();
        var p = w.prepare("s1", git(daemon.url("project.git"), "", null), false);
        assertFalse(p.reused());
        assertEquals("git", p.workspace().kind());
        assertEquals("HEAD", p.workspace().baseRef());
        assertEquals("main", p.workspace().branch());
        assertEquals(Git.run(bare, "rev-parse", "main").strip(), p.workspace().baseCommit());
        Path ws = Workspaces.ws(root, "s1");
        assertTrue(readString(ws.resolve("README.md")).contains("second version"));
        assertEquals("1", gitIn(w, "s1", "rev-list", "--count", "HEAD"));
        assertThat(readString(ws.resolve(".git"))).startsWith("gitdir: " + w.gitDir("s1"));

        var again = w.prepare("s1", git(daemon.url("project.git"), "", null), false);
        assertTrue(again.reused());
        assertTrue(w.prepare("s1", new WorkspaceSource.Empty(), false).reused(), "no source = reuse as it is");
        var other = assertThrows(WorkspaceException.class, () -> w.prepare("s1", git(daemon.url("project.git"), "v1", 0),
                false));
        assertEquals(Code.CONFLICT, other.code());
        assertThat(other.getMessage()).contains("already has a workspace from git " + daemon.url("project.git"));

        // a restarted service finds the record beside the workspace
        assertTrue(loopback().prepare("s1", new WorkspaceSource.Empty(), false).reused());
    }

    @Test
    void fullHistoryTagAndCommitRefs() {
        GitWorkspaces w = loopback();
        var full = w.prepare("full", git(daemon.url("project.git"), "main", 0), false);
        assertEquals("2", gitIn(w, "full", "rev-list", "--count", "HEAD"));
        assertEquals("main", full.workspace().branch());

        var tag = w.prepare("tag", git(daemon.url("project.git"), "v1", null), false);
        assertEquals(Git.run(bare, "rev-parse", "v1^{commit}").strip(), tag.workspace().baseCommit());
        assertFalse(readString(Workspaces.ws(root, "tag").resolve("README.md")).contains("second"));

        String first = Git.run(bare, "rev-parse", "main~1").strip();
        var sha = w.prepare("sha", git(daemon.url("project.git"), first, 1), false);
        assertEquals(first, sha.workspace().baseCommit());
        assertEquals("", sha.workspace().branch(), "a commit id checks out detached");

        var missing = assertThrows(WorkspaceException.class, () -> w.prepare("nope", git(daemon.url("project.git"),
                "no-such-branch", null), false));
        assertEquals(Code.NOT_FOUND, missing.code(), missing.getMessage());
        assertTrue(isEmptyDir(Workspaces.ws(root, "nope")), "a failed prepare leaves nothing behind");
        assertTrue(w.info("nope").isEmpty());
        var abbreviated = assertThrows(WorkspaceException.class, () -> w.prepare("abbr", git(daemon.url("project.git"),
                first.substring(0, 8), null), false));
        assertEquals(Code.INVALID_ARGUMENT, abbreviated.code());
    }

    @Test
    void theDiffAppliesToAFreshCloneWithBinaryRenameDeletionAndNewFiles() throws Exception {
        GitWorkspaces w = loopback();
        var p = w.prepare("edit", git(daemon.url("project.git"), "", null), false);
        Path ws = Workspaces.ws(root, "edit");
        Files.writeString(ws.resolve("src/Calc.java"), readString(ws.resolve("src/Calc.java")).replace("a - b", "a + b"));
        Files.move(ws.resolve("old-name.txt"), ws.resolve("new-name.txt"));
        Files.delete(ws.resolve("gone.txt"));
        byte[] logo = Files.readAllBytes(ws.resolve("logo.bin"));
        logo[10] = 0;
        logo[11] = (byte) 0xFF;
        Files.write(ws.resolve("logo.bin"), logo);
        Files.writeString(ws.resolve("src/New.java"), "class New {}\n");
        byte[] image = new byte[300];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (255 - i);
        }
        Files.write(ws.resolve("image.png"), image);
        Files.createDirectories(ws.resolve("target"));
        Files.writeString(ws.resolve("target/Calc.class"), "ignored build output");
        Files.writeString(ws.resolve("debug.log"), "ignored log");
        Files.createDirectories(ws.resolve(".m2/repository"));
        Files.writeString(ws.resolve(".m2/repository/cache.jar"), "a tool cache in HOME");

        var c = w.changes("edit");
        String diff = new String(c.diff(), StandardCharsets.UTF_8);
        assertThat(diff).contains("rename from old-name.txt").contains("rename to new-name.txt")
                .contains("deleted file mode").contains("GIT binary patch").contains("b/src/New.java")
                .contains("+        return a + b;");
        assertFalse(diff.contains("target/") || diff.contains("debug.log") || diff.contains(".m2"), diff);
        assertEquals(6, c.stats().filesChanged());
        assertEquals(p.workspace().baseCommit(), c.stats().baseCommit());
        assertEquals("HEAD", c.stats().baseRef());
        assertTrue(c.stats().insertions() >= 2 && c.stats().deletions() >= 2, c.stats().toString());

        Path fresh = root.resolve("fresh");
        Git.run(root, "clone", "-q", bare.toString(), fresh.toString());
        Git.run(fresh, "checkout", "-q", p.workspace().baseCommit());
        Path patch = root.resolve("changes.diff");
        Files.write(patch, c.diff());
        Git.run(fresh, "apply", "--check", patch.toString());
        Git.run(fresh, "apply", "--index", patch.toString());
        for (String f : List.of("src/Calc.java", "new-name.txt", "logo.bin", "src/New.java", "image.png", "README.md")) {
            assertArrayEquals(Files.readAllBytes(ws.resolve(f)), Files.readAllBytes(fresh.resolve(f)), f);
        }
        assertFalse(Files.exists(fresh.resolve("gone.txt")));
        assertFalse(Files.exists(fresh.resolve("old-name.txt")));
        // the .git file lets git inside the workspace (the sandbox's view) find the history
        assertEquals(p.workspace().baseCommit(), Git.run(ws, "rev-parse", "HEAD").strip());
    }

    @Test
    void commitsPerStoryAndPushCreatesTheBranchOnTheServer() throws Exception {
        GitWorkspaces w = loopback();
        var p = w.prepare("push", git(daemon.url("project.git"), "main", null), false);
        Path ws = Workspaces.ws(root, "push");
        Files.writeString(ws.resolve("story1.txt"), "one\n");
        var c1 = w.commit("push", "story 1: add story1.txt", null);
        assertTrue(c1.committed());
        assertEquals("main", c1.branch());
        assertEquals(1, c1.stats().filesChanged());
        assertFalse(w.commit("push", "nothing", null).committed(), "nothing to commit is not an error");

        Files.writeString(ws.resolve("story2.txt"), "two\n");
        var pushed = w.push("push", "codetether/test-push", "story 2: add story2.txt",
                new WorkspaceResults.Author("Ralph", "ralph@example.invalid"), Optional.empty());
        assertTrue(pushed.committed());
        assertEquals(daemon.url("project.git"), pushed.remote());
        assertEquals(pushed.commit(), Git.run(bare, "rev-parse", "refs/heads/codetether/test-push").strip());
        assertEquals("story 2: add story2.txt\nstory 1: add story1.txt\nsecond",
                Git.run(bare, "log", "-3", "--format=%s", "codetether/test-push").strip());
        assertEquals("Ralph <ralph@example.invalid>|CodeTether <codetether@localhost>",
                Git.run(bare, "log", "-1", "--format=%an <%ae>", "codetether/test-push").strip() + "|"
                        + Git.run(bare, "log", "-1", "--format=%an <%ae>", "codetether/test-push~1").strip());

        var all = w.changes("push");
        assertEquals(2, all.stats().filesChanged(), "the changes cover every story since the base");
        assertEquals(p.workspace().baseCommit(), all.stats().baseCommit());

        var bad = assertThrows(WorkspaceException.class, () -> w.push("push", "main", "m", null, Optional.empty()));
        assertEquals(Code.INVALID_ARGUMENT, bad.code());
        assertThrows(WorkspaceException.class, () -> w.push("push", "codetether/../main", "m", null, Optional.empty()));
        Files.writeString(ws.resolve("story3.txt"), "three\n");
        var noMessage = assertThrows(WorkspaceException.class, () -> w.push("push", "codetether/x", "", null,
                Optional.empty()));
        assertEquals(Code.INVALID_ARGUMENT, noMessage.code());
    }

    @Test
    void refusedHostsPrivateAndLinkLocalAddressesNeverReachGit() {
        GitWorkspaces w = Workspaces.create(root, Workspaces.gate(List.of("git.allowed.invalid", "10.0.0.1",
                "169.254.169.254", "*.corp.invalid"), false, Map.of("git.allowed.invalid", "10.1.2.3",
                        "inside.corp.invalid", "127.0.0.1")), GitCredentials.none(), 1 << 20, Optional.empty());
        record Case(String url, String expect) {}
        for (Case k : List.of(
                new Case("https://github.invalid/o/r.git", "github.invalid:443 is not on the allowlist"),
                new Case("https://10.0.0.1/o/r.git", "resolves to 10.0.0.1 (private)"),
                new Case("http://169.254.169.254/latest/meta-data", "resolves to 169.254.169.254 (link-local)"),
                new Case("ssh://git@git.allowed.invalid/o/r.git", "resolves to 10.1.2.3 (private)"),
                new Case("git://inside.corp.invalid/r.git", "resolves to 127.0.0.1 (loopback)"),
                new Case(daemon.url("project.git"), "127.0.0.1:" + daemon.port() + " is not on the allowlist"))) {
            var e = assertThrows(WorkspaceException.class, () -> w.prepare("refused", git(k.url(), "", null), false),
                    k.url());
            assertEquals(Code.REFUSED, e.code(), e.getMessage());
            assertThat(e.getMessage()).contains(k.expect());
            assertTrue(isEmptyDir(Workspaces.ws(root, "refused")));
        }
        for (String local : List.of("/etc", "file:///etc/passwd", "ext::sh -c touch% /tmp/pwned", "./repo",
                "ftp://example.invalid/r.git")) {
            var e = assertThrows(WorkspaceException.class, () -> w.prepare("local", git(local, "", null), false));
            assertEquals(Code.INVALID_ARGUMENT, e.code(), local + ": " + e.getMessage());
        }
    }

    @Test
    void emptyWorkspaceDiffsAgainstTheEmptyTree() throws Exception {
        GitWorkspaces w = loopback();
        var p = w.prepare("empty", new WorkspaceSource.Empty(), false);
        assertEquals("", p.workspace().baseCommit());
        Path ws = Workspaces.ws(root, "empty");
        Files.writeString(ws.resolve("hello.txt"), "hello\n");
        Files.write(ws.resolve("blob.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff});
        var c = w.changes("empty");
        assertEquals(2, c.stats().filesChanged());
        Path target = Files.createDirectories(root.resolve("apply-empty"));
        Git.run(target, "init", "-q");
        Files.write(root.resolve("empty.diff"), c.diff());
        Git.run(target, "apply", root.resolve("empty.diff").toString());
        assertArrayEquals(Files.readAllBytes(ws.resolve("blob.bin")), Files.readAllBytes(target.resolve("blob.bin")));
        // a .git made in the sandbox before the first prepare is never adopted (its config would steer the host's git)
        Path other = Files.createDirectories(Workspaces.ws(root, "own-git").resolve(".git"));
        Files.writeString(other.resolve("config"), "[core]\n\tfsmonitor = touch /tmp/pwned\n");
        var adopted = assertThrows(WorkspaceException.class, () -> w.prepare("own-git", new WorkspaceSource.Empty(),
                false));
        assertEquals(Code.CONFLICT, adopted.code());
        var commit = w.commit("empty", "first commit", null);
        assertTrue(commit.committed());
        assertEquals(2, w.changes("empty").stats().filesChanged(), "still against the empty tree after a commit");
        var noRemote = assertThrows(WorkspaceException.class, () -> w.push("empty", "codetether/x", "m", null,
                Optional.empty()));
        assertThat(noRemote.getMessage()).contains("give the URL to push to");
    }

    @Test
    void submodulesAreFetchedThroughTheSameChecks() throws Exception {
        Path lib = Git.project(servers, "lib");
        Path superSrc = Files.createDirectories(servers.resolve("super-src"));
        Git.run(superSrc, "init", "-q");
        Files.writeString(superSrc.resolve("main.txt"), "super\n");
        Files.writeString(superSrc.resolve(".gitmodules"), "[submodule \"lib\"]\n\tpath = lib\n\turl = ../lib.git\n");
        Git.run(superSrc, "update-index", "--add", "--cacheinfo", "160000," + Git.run(lib, "rev-parse", "main").strip()
                + ",lib");
        Git.run(superSrc, "add", "main.txt", ".gitmodules");
        Git.run(superSrc, "commit", "-q", "-m", "super");
        Git.run(servers, "clone", "-q", "--bare", superSrc.toString(), servers.resolve("super.git").toString());

        GitWorkspaces w = loopback();
        var p = w.prepare("sub", new WorkspaceSource.Git(GitUrl.parse(daemon.url("super.git")), "", null, true), false);
        assertThat(String.join("\n", p.notes())).contains("submodule lib from " + daemon.url("lib.git"));
        assertTrue(readString(Workspaces.ws(root, "sub").resolve("lib/README.md")).contains("# lib"));

        GitWorkspaces strict = Workspaces.create(root.resolve("strict"), Workspaces.gate(List.of("127.0.0.1:"
                + daemon.port()), false, Map.of()), GitCredentials.none(), 1 << 20, Optional.empty());
        Path evil = Files.createDirectories(servers.resolve("evil-src"));
        Git.run(evil, "init", "-q");
        Files.writeString(evil.resolve(".gitmodules"), "[submodule \"x\"]\n\tpath = x\n\turl = https://10.9.9.9/x.git\n");
        Git.run(evil, "update-index", "--add", "--cacheinfo", "160000," + Git.run(lib, "rev-parse", "main").strip() + ",x");
        Git.run(evil, "add", ".gitmodules");
        Git.run(evil, "commit", "-q", "-m", "evil");
        Git.run(servers, "clone", "-q", "--bare", evil.toString(), servers.resolve("evil.git").toString());
        var e = assertThrows(WorkspaceException.class, () -> strict.prepare("evil", new WorkspaceSource.Git(
                GitUrl.parse(daemon.url("evil.git")), "", null, true), false));
        assertEquals(Code.REFUSED, e.code(), e.getMessage());
    }

    String gitIn(GitWorkspaces w, String session, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--git-dir=" + w.gitDir(session);
        all[1] = "--work-tree=" + Workspaces.ws(root, session);
        System.arraycopy(args, 0, all, 2, args.length);
        return Git.run(Workspaces.ws(root, session), all).strip();
    }

    static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static boolean isEmptyDir(Path p) {
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return !Files.exists(p);
        }
    }
}
