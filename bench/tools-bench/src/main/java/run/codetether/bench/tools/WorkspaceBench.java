package run.codetether.bench.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.WorkspaceSource;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.infra.git.GitCli;
import run.codetether.tools.infra.git.GitWorkspaces;
import run.codetether.tools.infra.git.TarballUnpacker;

/**
 * Workspace preparation for a generated ~50 MB repository served by {@code git daemon} on loopback: PrepareWorkspace
 * shallow (depth 1) and full (depth 0) against a plain {@code git clone} of the same depth (the overhead is the
 * difference: allowlist, pinning, the separate git dir, the record), then GetChanges after a one-line edit on the
 * big checkout. Rows interleave; medians and minima of N runs.
 * Usage: {@code WorkspaceBench [runs=5] [workdir=/var/tmp/workspace-bench]}.
 */
public final class WorkspaceBench {

    private WorkspaceBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Path.of(args.length > 1 ? args[1] : "/var/tmp/workspace-bench");
        Path served = work.resolve("served");
        Path bare = served.resolve("big.git");
        if (!Files.exists(bare)) {
            generate(work.resolve("src"), bare);
        }
        System.out.printf("repository: %s, pack %.1f MB, HEAD tree %.1f MB, %s commits%n", bare,
                size(bare.resolve("objects")) / 1e6, headTreeBytes(bare) / 1e6,
                git(bare, "rev-list", "--count", "HEAD").strip());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--base-path=" + served, "--export-all",
                "--listen=127.0.0.1", "--port=" + port, served.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitFor(port);
            String url = "git://127.0.0.1:" + port + "/big.git";
            Path root = work.resolve("runs");
            List<Long> plainShallow = new ArrayList<>();
            List<Long> prepShallow = new ArrayList<>();
            List<Long> plainFull = new ArrayList<>();
            List<Long> prepFull = new ArrayList<>();
            List<Long> changes = new ArrayList<>();
            List<Long> plainSmall = new ArrayList<>();
            List<Long> prepSmall = new ArrayList<>();
            Path small = served.resolve("small.git");
            if (!Files.exists(small)) {
                Path s = work.resolve("small-src");
                Files.createDirectories(s);
                git(s, "init", "-q");
                Files.writeString(s.resolve("README.md"), "small\n");
                git(s, "add", "-A");
                git(s, "commit", "-q", "-m", "one");
                git(served, "clone", "-q", "--bare", s.toString(), small.toString());
            }
            String smallUrl = "git://127.0.0.1:" + port + "/small.git";
            long shallowBytes = 0;
            long fullBytes = 0;
            for (int i = -1; i < runs; i++) { // round -1 warms caches and the JIT
                deleteTree(root);
                GitWorkspaces w = workspaces(root);
                long a = time(() -> git(root, "clone", "-q", "--depth=1", url, root.resolve("plain-s" + System.nanoTime()).toString()));
                long b = time(() -> w.prepare("shallow", new WorkspaceSource.Git(GitUrl.parse(url), "", 1, false), false));
                long c = time(() -> git(root, "clone", "-q", url, root.resolve("plain-f" + System.nanoTime()).toString()));
                long d = time(() -> w.prepare("full", new WorkspaceSource.Git(GitUrl.parse(url), "", 0, false), false));
                Path file = root.resolve("ws/full/README.md");
                Files.writeString(file, Files.readString(file) + "one more line\n");
                long e = time(() -> w.changes("full"));
                long f = time(() -> git(root, "clone", "-q", "--depth=1", smallUrl, root.resolve("plain-x" + System.nanoTime()).toString()));
                long g = time(() -> w.prepare("small", new WorkspaceSource.Git(GitUrl.parse(smallUrl), "", 1, false), false));
                shallowBytes = size(w.gitDir("shallow"));
                fullBytes = size(w.gitDir("full"));
                if (i >= 0) {
                    plainShallow.add(a);
                    prepShallow.add(b);
                    plainFull.add(c);
                    prepFull.add(d);
                    changes.add(e);
                    plainSmall.add(f);
                    prepSmall.add(g);
                }
            }
            System.out.printf("load average at the end: %s", Files.readString(Path.of("/proc/loadavg")));
            row("git clone --depth 1 (plain)", plainShallow);
            row("PrepareWorkspace depth 1", prepShallow);
            row("git clone (full, plain)", plainFull);
            row("PrepareWorkspace full", prepFull);
            row("GetChanges (one edit, full checkout)", changes);
            row("git clone --depth 1, 1-file repo (plain)", plainSmall);
            row("PrepareWorkspace, 1-file repo", prepSmall);
            System.out.printf("git directory after prepare: depth 1 %.1f MB, full %.1f MB%n", shallowBytes / 1e6,
                    fullBytes / 1e6);
        } finally {
            // `git daemon` runs git-daemon as a child: stop both
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
        }
    }

    static GitWorkspaces workspaces(Path root) {
        SessionRegistry sessions = new SessionRegistry(root.resolve("ws"), 10);
        return new GitWorkspaces(sessions, SessionRegistry.defaultStateRoot(root.resolve("ws")),
                new GitCli("git", root.resolve("git-home"), Duration.ofMinutes(10)),
                new HostGate(HostAllowlist.none(), true, InetAddress::getAllByName, "bench"), GitCredentials.none(),
                new TarballUnpacker(1L << 30, 100_000), new GitWorkspaces.Settings(1, "bench", "bench@localhost",
                        1L << 30, 1L << 30, Optional.empty(), Optional.empty(), root.resolve("keys"), false));
    }

    /**
     * ~16 MB of base files, then 12 commits that each rewrite 400 files of 10 KB: a pack of about 50 MB whose HEAD
     * tree is about a third of it (base64 of random bytes compresses to ~75%, so this is roughly what gets sent).
     */
    static void generate(Path src, Path bare) throws IOException, InterruptedException {
        Files.createDirectories(src);
        git(src, "init", "-q");
        Random rnd = new Random(42);
        for (int i = 0; i < 1600; i++) {
            write(src.resolve("base/d" + (i % 40) + "/f" + i + ".txt"), rnd, 10_000);
        }
        Files.writeString(src.resolve("README.md"), "# generated repository for WorkspaceBench\n");
        git(src, "add", "-A");
        git(src, "commit", "-q", "-m", "base");
        for (int c = 0; c < 12; c++) {
            for (int i = 0; i < 400; i++) {
                write(src.resolve("churn/f" + i + ".txt"), rnd, 10_000);
            }
            git(src, "add", "-A");
            git(src, "commit", "-q", "-m", "churn " + c);
        }
        Files.createDirectories(bare.getParent());
        git(bare.getParent(), "clone", "-q", "--bare", src.toString(), bare.toString());
        git(bare, "gc", "-q");
    }

    static void write(Path f, Random rnd, int bytes) throws IOException {
        Files.createDirectories(f.getParent());
        byte[] raw = new byte[bytes * 3 / 4];
        rnd.nextBytes(raw);
        String text = Base64.getMimeEncoder().encodeToString(raw);
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    static String git(Path cwd, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                "-c", "init.defaultBranch=main"));
        argv.addAll(List.of(args));
        try {
            Files.createDirectories(cwd);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true);
            pb.environment().putAll(Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
            }
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static long headTreeBytes(Path bare) {
        long total = 0;
        for (String line : git(bare, "ls-tree", "-r", "-l", "HEAD").split("\n")) {
            String[] f = line.split("\\s+");
            if (f.length > 3 && f[3].matches("\\d+")) {
                total += Long.parseLong(f[3]);
            }
        }
        return total;
    }

    static long size(Path dir) throws IOException {
        try (var w = Files.walk(dir)) {
            return w.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static long time(Body b) throws Exception {
        long t = System.nanoTime();
        b.run();
        return (System.nanoTime() - t) / 1_000_000;
    }

    static void row(String name, List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        System.out.printf("%-40s p50 %6d ms   min %6d ms   max %6d ms   (n=%d)%n", name, s.get(s.size() / 2), s.get(0),
                s.get(s.size() - 1), s.size());
    }

    static void waitFor(int port) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("git daemon did not start");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var w = Files.walk(dir)) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
