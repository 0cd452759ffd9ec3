package run.codetether.tools.infra.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceSource;
import run.codetether.fixtures.git.Git;

/**
 * Workspaces from uploads: a git bundle of a checkout with its uncommitted changes (the CLI's format), a plain
 * bundle, an incomplete bundle, tarballs, and every unsafe tarball entry refused with nothing left behind.
 */
class ArchiveWorkspacesTest {

    @TempDir
    Path root;

    GitWorkspaces workspaces(long max) {
        return Workspaces.create(root, Workspaces.gate(List.of(), true, Map.of()), GitCredentials.none(), max,
                Optional.empty());
    }

    /** A user's checkout: the project at main, one tracked file modified and one untracked file not yet committed. */
    Path checkout() throws IOException {
        Path bare = Git.project(root.resolve("server"), "project");
        Path co = root.resolve("checkout");
        Git.run(root, "clone", "-q", bare.toString(), co.toString());
        Files.writeString(co.resolve("README.md"), "# uncommitted edit\n");
        Files.writeString(co.resolve("notes.txt"), "untracked\n");
        Files.writeString(co.resolve("build.log"), "ignored\n");
        return co;
    }

    /** What `codetether run --workspace .` sends: HEAD, the branches and refs/codetether/worktree (HEAD + working tree). */
    static byte[] bundleWithWorktree(Path co) throws IOException {
        Path index = co.resolve(".git/codetether-index");
        Map<String, String> env = Map.of("GIT_INDEX_FILE", index.toString());
        Git.run(co, env, null, "read-tree", "HEAD");
        Git.run(co, env, null, "add", "-A");
        String tree = Git.run(co, env, null, "write-tree").strip();
        String snapshot = Git.run(co, "commit-tree", tree, "-p", "HEAD", "-m", "codetether: working tree").strip();
        Git.run(co, "update-ref", "refs/codetether/worktree", snapshot);
        Path b = co.resolveSibling("checkout.bundle");
        Git.run(co, "bundle", "create", "-q", b.toString(), "HEAD", "--branches", "refs/codetether/worktree");
        return Files.readAllBytes(b);
    }

    @Test
    void aBundleWithUncommittedChangesMakesThemTheBaseAndTheDiffAppliesBackToTheCheckout() throws Exception {
        Path co = checkout();
        byte[] bundle = bundleWithWorktree(co);
        GitWorkspaces w = workspaces(1 << 20);
        var p = w.prepare("b1", new WorkspaceSource.Archive(WorkspaceSource.BUNDLE, bundle, "checkout.bundle"), false);
        assertEquals("bundle", p.workspace().kind());
        assertEquals("main", p.workspace().branch());
        assertEquals("main", p.workspace().baseRef());
        assertEquals(Git.run(co, "rev-parse", "refs/codetether/worktree").strip(), p.workspace().baseCommit());
        Path ws = Workspaces.ws(root, "b1");
        assertEquals("# uncommitted edit\n", Files.readString(ws.resolve("README.md")));
        assertEquals("untracked\n", Files.readString(ws.resolve("notes.txt")));
        assertFalse(Files.exists(ws.resolve("build.log")), "ignored files do not travel");
        assertEquals(0, w.changes("b1").stats().filesChanged(), "the starting state is the base");

        Files.writeString(ws.resolve("notes.txt"), "untracked, then edited by the agent\n");
        Files.writeString(ws.resolve("src/Calc.java"), Files.readString(ws.resolve("src/Calc.java")).replace("-", "+"));
        var c = w.changes("b1");
        assertEquals(2, c.stats().filesChanged());
        Path patch = root.resolve("b1.diff");
        Files.write(patch, c.diff());
        Git.run(co, "apply", "--check", patch.toString());
        Git.run(co, "apply", patch.toString());
        assertArrayEquals(Files.readAllBytes(ws.resolve("notes.txt")), Files.readAllBytes(co.resolve("notes.txt")));
        assertArrayEquals(Files.readAllBytes(ws.resolve("src/Calc.java")), Files.readAllBytes(co.resolve("src/Calc.java")));
    }

    @Test
    void aPlainBundleStartsAtHeadAndAnIncompleteOneIsRefused() throws Exception {
        Path co = checkout();
        Path plain = root.resolve("plain.bundle");
        Git.run(co, "bundle", "create", "-q", plain.toString(), "HEAD", "main");
        GitWorkspaces w = workspaces(1 << 20);
        // no media type: recognised by its first line in the RPC layer; here the domain type is explicit
        var p = w.prepare("b2", new WorkspaceSource.Archive(WorkspaceSource.BUNDLE, Files.readAllBytes(plain), "plain.bundle"),
                false);
        assertEquals(Git.run(co, "rev-parse", "HEAD").strip(), p.workspace().baseCommit());

        Path thin = root.resolve("thin.bundle");
        Git.run(co, "bundle", "create", "-q", thin.toString(), "main~1..main");
        var e = assertThrows(WorkspaceException.class, () -> w.prepare("b3", new WorkspaceSource.Archive(
                WorkspaceSource.BUNDLE, Files.readAllBytes(thin), "thin.bundle"), false));
        assertEquals(Code.INVALID_ARGUMENT, e.code());
        assertThat(e.getMessage()).contains("not a complete git bundle");
        var junk = assertThrows(WorkspaceException.class, () -> w.prepare("b4", new WorkspaceSource.Archive(
                WorkspaceSource.BUNDLE, "not a bundle".getBytes(StandardCharsets.UTF_8), "junk.bundle"), false));
        assertEquals(Code.INVALID_ARGUMENT, junk.code());
        assertTrue(GitWorkspacesTest.isEmptyDir(Workspaces.ws(root, "b4")));
    }

    @Test
    void oversizedArchivesAreRefusedWithTheLimitInTheMessage() throws Exception {
        GitWorkspaces w = workspaces(1000);
        byte[] big = new byte[1001];
        var e = assertThrows(WorkspaceException.class, () -> w.prepare("big", new WorkspaceSource.Archive(
                WorkspaceSource.GZIP, big, "big.tar.gz"), false));
        assertEquals(Code.TOO_LARGE, e.code());
        assertEquals("archive big.tar.gz is 1001 bytes; the limit is 1000 (codetether.tools.archive.max-bytes)",
                e.getMessage());

        // a small gzip that unpacks past the unpacked limit (4 MiB in these tests)
        byte[] bomb = tar(t -> file(t, "zeros.bin", new byte[5 << 20], 0644));
        assertTrue(bomb.length < 100_000);
        var b = assertThrows(WorkspaceException.class, () -> workspaces(1 << 20).prepare("bomb", new WorkspaceSource.Archive(
                WorkspaceSource.GZIP, bomb, "bomb.tar.gz"), false));
        assertEquals(Code.TOO_LARGE, b.code());
        assertThat(b.getMessage()).contains("unpacks to more than 4194304 bytes");
        assertTrue(GitWorkspacesTest.isEmptyDir(Workspaces.ws(root, "bomb")));
    }

    @Test
    void aTarballBecomesTheBaseCommit() throws Exception {
        byte[] gz = tar(t -> {
            dir(t, "app/");
            file(t, "app/run.sh", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), 04755);
            file(t, "app/data.txt", "data\n".getBytes(StandardCharsets.UTF_8), 0666);
            link(t, "app/current", "data.txt");
            file(t, ".gitignore", "*.tmp\n".getBytes(StandardCharsets.UTF_8), 0644);
            file(t, "scratch.tmp", "ignored\n".getBytes(StandardCharsets.UTF_8), 0644);
            file(t, ".git/config", "[core]\n\thooksPath = /tmp/evil\n".getBytes(StandardCharsets.UTF_8), 0644);
        });
        GitWorkspaces w = workspaces(1 << 20);
        var p = w.prepare("tar", new WorkspaceSource.Archive(WorkspaceSource.GZIP, gz, "app.tar.gz"), false);
        assertEquals("tarball", p.workspace().kind());
        assertEquals("archive", p.workspace().baseRef());
        assertFalse(p.workspace().baseCommit().isEmpty());
        assertThat(String.join(" ", p.notes())).contains(".git directory was not unpacked");
        Path ws = Workspaces.ws(root, "tar");
        assertTrue(Files.isExecutable(ws.resolve("app/run.sh")));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ws.resolve("app/run.sh"))), "no setuid, nothing world-writable");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ws.resolve("app/data.txt"))));
        assertEquals("data.txt", Files.readSymbolicLink(ws.resolve("app/current")).toString());
        assertEquals(0, w.changes("tar").stats().filesChanged());
        Files.writeString(ws.resolve("app/data.txt"), "changed\n");
        assertEquals(1, w.changes("tar").stats().filesChanged(), "the ignored scratch file is not a change");
    }

    @Test
    void unsafeTarballEntriesAreRefusedAndNothingStays() throws Exception {
        GitWorkspaces w = workspaces(1 << 20);
        record Case(String name, byte[] gz, String expect) {}
        List<Case> cases = List.of(
                new Case("traversal", tar(t -> file(t, "../escape.txt", new byte[] {1}, 0644)), "leaves the workspace"),
                new Case("absolute", tar(t -> file(t, "/etc/evil", new byte[] {1}, 0644)), "absolute or unsafe name"),
                new Case("link-out", tar(t -> link(t, "passwd", "/etc/passwd")), "outside the workspace"),
                new Case("link-up", tar(t -> link(t, "up", "../../outside")), "outside the workspace"),
                new Case("through-link", tar(t -> {
                    dir(t, "real/");
                    link(t, "alias", "real");
                    file(t, "alias/file.txt", new byte[] {1}, 0644);
                }), "written through the symbolic link"),
                new Case("device", tar(t -> special(t, "dev-null", TarConstants.LF_CHR)), "device file"),
                new Case("fifo", tar(t -> special(t, "pipe", TarConstants.LF_FIFO)), "device file, FIFO"),
                new Case("hardlink", tar(t -> hardlink(t, "hl", "/etc/shadow")), "absolute or unsafe name"),
                new Case("hardlink-late", tar(t -> hardlink(t, "hl", "later.txt")), "not an earlier file"),
                new Case("not-gzip", "plain text".getBytes(StandardCharsets.UTF_8), "not a valid .tar.gz"));
        for (Case k : cases) {
            var e = assertThrows(WorkspaceException.class, () -> w.prepare(k.name(), new WorkspaceSource.Archive(
                    WorkspaceSource.GZIP, k.gz(), k.name() + ".tar.gz"), false), k.name());
            assertEquals(Code.INVALID_ARGUMENT, e.code(), k.name() + ": " + e.getMessage());
            assertThat(e.getMessage()).as(k.name()).contains(k.expect());
            assertTrue(GitWorkspacesTest.isEmptyDir(Workspaces.ws(root, k.name())), k.name() + " left files behind");
            assertTrue(w.info(k.name()).isEmpty());
        }
        assertFalse(Files.exists(root.resolve("ws").resolve("escape.txt")));
    }

    interface TarBody {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    static byte[] tar(TarBody body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(t);
        }
        return bytes.toByteArray();
    }

    static void file(TarArchiveOutputStream t, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        e.setMode(mode);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
    }

    static void dir(TarArchiveOutputStream t, String name) throws IOException {
        t.putArchiveEntry(new TarArchiveEntry(name, true));
        t.closeArchiveEntry();
    }

    static void link(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void hardlink(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void special(TarArchiveOutputStream t, String name, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

}
