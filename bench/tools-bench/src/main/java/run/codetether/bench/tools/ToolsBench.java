package run.codetether.bench.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.search.GrepEngine;
import run.codetether.tools.domain.search.GrepQuery;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.PidsCgroup;
import run.codetether.tools.infra.sandbox.SandboxLimits;

/**
 * Two measurements, printed as a table:
 * <ol>
 * <li>exec overhead: {@code /bin/true} spawned plainly vs through the production {@link BwrapSandbox} (with and
 * without the per-command pids cgroup), p50/p99 over N runs after a warm-up;</li>
 * <li>search: the grep tool's engine vs GNU {@code grep -rn} over a generated repository of F files.</li>
 * </ol>
 * Usage: {@code ToolsBench [execRuns=300] [files=50000] [all|exec|grep]}. Each "before" row is the previous
 * implementation (kept in this module) measured in the same run.
 */
public final class ToolsBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "tools-bench");
        System.out.printf("tools-bench: %d exec runs, %d files, cpus=%d, work=%s%n", runs, files,
                Runtime.getRuntime().availableProcessors(), work);
        String what = args.length > 2 ? args[2] : "all";
        if (!what.equals("grep")) {
            execOverhead(work, runs);
        }
        if (!what.equals("exec")) {
            grep(work, files);
        }
    }

    static void execOverhead(Path work, int runs) throws Exception {
        Path root = work.resolve("ws");
        Path ws = Files.createDirectories(root.resolve("s1"));
        SandboxLimits limits = new SandboxLimits(60, 8L << 30, 512, 1L << 30, 1024, 64L << 20);
        BwrapSandbox plainBwrap = new BwrapSandbox("/usr/bin/bwrap", root, limits, Optional.empty());
        Optional<PidsCgroup.Pool> cg = PidsCgroup.parent().map(p -> new PidsCgroup.Pool(p, 64));
        BwrapSandbox cgBwrap = new BwrapSandbox("/usr/bin/bwrap", root, limits, cg);
        ExecSpec spec = new ExecSpec(List.of("/bin/true"), ws, ws, Duration.ofSeconds(10), 1000);
        List<String> names = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        names.add("plain spawn /bin/true");
        actions.add(() -> spawn(List.of("/bin/true"), null));
        names.add("before: bwrap --dev + prlimit");
        actions.add(() -> spawn(legacyCommand(root, ws, limits, spec.argv()), null));
        names.add("after:  bwrap minimal /dev + prlimit");
        actions.add(() -> spawn(plainBwrap.command(spec), null));
        if (cg.isPresent()) {
            names.add("before: sh->cgroup, bwrap --dev + prlimit");
            actions.add(() -> spawn(legacyCommand(root, ws, limits, spec.argv()), cg.get()));
            names.add("after:  sh->cgroup+ulimit, bwrap min /dev");
            actions.add(() -> {
                PidsCgroup g = cg.get().create(limits.maxProcesses());
                try {
                    List<String> argv = new ArrayList<>(cgBwrap.launcher(g.procsFile()));
                    argv.addAll(cgBwrap.command(spec));
                    spawn(argv, null);
                } finally {
                    g.close();
                }
            });
            names.add("after:  production BwrapSandbox.run (cgroup)");
            actions.add(() -> check(cgBwrap.run(spec, OutputSink.DISCARD)));
        } else {
            System.out.println("no writable pids cgroup: production path = the prlimit rows");
            names.add("after:  production BwrapSandbox.run");
            actions.add(() -> check(plainBwrap.run(spec, OutputSink.DISCARD)));
        }
        System.out.printf("load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        double[][] ms = timeInterleaved(runs, actions);
        for (int i = 0; i < ms.length; i++) {
            report(names.get(i), ms[i]);
        }
        System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
    }

    /** Starts argv the way the sandbox does (clean env), drains it, waits; with a group, via the old launcher. */
    static void spawn(List<String> command, PidsCgroup.Pool cgroups) throws Exception {
        PidsCgroup group = cgroups == null ? null : cgroups.create(512);
        try {
            List<String> argv = new ArrayList<>();
            if (group != null) {
                argv.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", group.procsFile().toString()));
            }
            argv.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + err + " for " + argv);
            }
        } finally {
            if (group != null) {
                group.close();
            }
        }
    }

    /** The sandbox argv as BwrapSandbox built it before this change (bubblewrap's full --dev, prlimit inside). */
    static List<String> legacyCommand(Path workspaceRoot, Path ws, SandboxLimits limits, List<String> argv) {
        List<String> c = new ArrayList<>(List.of("/usr/bin/bwrap", "--unshare-all", "--unshare-user", "--uid", "1000",
                "--gid", "1000", "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--ro-bind", "/", "/",
                "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc"));
        if (!workspaceRoot.startsWith("/tmp")) {
            c.addAll(List.of("--tmpfs", workspaceRoot.toString()));
        }
        c.addAll(List.of("--bind", ws.toString(), ws.toString(), "--chdir", ws.toString(), "--clearenv",
                "--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "--setenv",
                "HOME", ws.toString(), "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8", "--setenv",
                "TERM", "dumb", "--", "/usr/bin/prlimit", "--cpu=" + limits.cpuSeconds(), "--as="
                        + limits.memoryBytes(), "--fsize=" + limits.fileSizeBytes(), "--nofile=" + limits.openFiles(),
                "--core=0", "--"));
        c.addAll(argv);
        return c;
    }

    static void check(ExecResult r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("sandboxed /bin/true exited " + r.exitCode() + ": " + r.stderr());
        }
    }

    interface Action {
        void run() throws Exception;
    }

    /** Round-robin over the actions (so load changes hit every row alike), after a warm-up; sorted times in ms. */
    static double[][] timeInterleaved(int runs, List<Action> actions) throws Exception {
        for (int i = 0; i < Math.min(30, runs); i++) {
            for (Action a : actions) {
                a.run();
            }
        }
        double[][] ms = new double[actions.size()][runs];
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < actions.size(); k++) {
                long t = System.nanoTime();
                actions.get(k).run();
                ms[k][i] = (System.nanoTime() - t) / 1e6;
            }
        }
        for (double[] row : ms) {
            Arrays.sort(row);
        }
        return ms;
    }

    static void report(String what, double[] ms) {
        System.out.printf("%-46s p50 %7.2f ms   p99 %7.2f ms   min %6.2f ms%n", what, pct(ms, 50), pct(ms, 99), ms[0]);
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static final int REPS = 7;

    static void grep(Path work, int files) throws Exception {
        Path repo = work.resolve("repo");
        long t0 = System.nanoTime();
        generate(repo, files);
        System.out.printf("generated %d files in %.1f s%n", files, (System.nanoTime() - t0) / 1e9);
        // Flush the freshly written files first, so write-back does not run into the first timed searches.
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        GrepEngine engine = new GrepEngine(10L << 20);
        for (String[] q : new String[][] {{"literal (rare)", "needle_token_42", "false"},
                {"regex (common)", "fn [a-z]+_7\\(", "true"}}) {
            GrepQuery query = GrepQuery.of(q[1], q[2].equals("true"), true, repo, List.of(), List.of(), 0, 1_000_000);
            List<Double> ours = new ArrayList<>();
            List<Double> gnu = new ArrayList<>();
            int ourCount = 0;
            long gnuCount = 0;
            for (int rep = -1; rep < REPS; rep++) {
                if (rep == 0) {
                    ours.clear();
                    gnu.clear();
                }
                long t = System.nanoTime();
                var r = engine.search(query);
                ours.add((System.nanoTime() - t) / 1e6);
                ourCount = r.matches().size();
                t = System.nanoTime();
                Process g = new ProcessBuilder("grep", "-rn", q[2].equals("true") ? "-E" : "-F", q[1], repo.toString())
                        .redirectErrorStream(true).start();
                gnuCount = new String(g.getInputStream().readAllBytes()).lines().count();
                g.waitFor();
                gnu.add((System.nanoTime() - t) / 1e6);
            }
            ours.sort(null);
            gnu.sort(null);
            System.out.printf("grep %-15s engine %6.0f ms (%d)   GNU grep -rn %6.0f ms (%d)"
                    + "   [medians of %d after a warm-up; mins %.0f / %.0f]%n", q[0], ours.get(REPS / 2), ourCount,
                    gnu.get(REPS / 2), gnuCount, REPS, ours.get(0), gnu.get(0));
        }
        System.out.printf("load average after grep: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
    }

    static void generate(Path repo, int files) throws IOException {
        Random rnd = new Random(42);
        String[] words = {"alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"};
        for (int i = 0; i < files; i++) {
            Path dir = repo.resolve("pkg" + (i / 500)).resolve("sub" + (i / 50 % 10));
            Files.createDirectories(dir);
            StringBuilder sb = new StringBuilder();
            for (int l = 0; l < 40; l++) {
                sb.append("fn ").append(words[rnd.nextInt(words.length)]).append('_').append(rnd.nextInt(10))
                        .append("(x: u32) -> u32 { x + ").append(rnd.nextInt(1000)).append(" }\n");
            }
            if (i % 100 == 0) {
                sb.append("// needle_token_42 here\n");
            }
            Files.writeString(dir.resolve("f" + i + ".rs"), sb);
        }
    }
}
