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
 * Usage: {@code ToolsBench [execRuns=300] [files=50000]}.
 */
public final class ToolsBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "tools-bench");
        System.out.printf("tools-bench: %d exec runs, %d files, cpus=%d, work=%s%n", runs, files,
                Runtime.getRuntime().availableProcessors(), work);
        execOverhead(work, runs);
        grep(work, files);
    }

    static void execOverhead(Path work, int runs) throws Exception {
        Path ws = Files.createDirectories(work.resolve("ws/s1"));
        SandboxLimits limits = new SandboxLimits(60, 8L << 30, 512, 1L << 30, 1024, 64L << 20);
        BwrapSandbox plainBwrap = new BwrapSandbox("/usr/bin/bwrap", work.resolve("ws"), limits, Optional.empty());
        Optional<Path> cg = PidsCgroup.parent();
        BwrapSandbox cgBwrap = new BwrapSandbox("/usr/bin/bwrap", work.resolve("ws"), limits, cg);
        ExecSpec spec = new ExecSpec(List.of("/bin/true"), ws, ws, Duration.ofSeconds(10), 1000);
        report("plain spawn /bin/true", time(runs, () -> {
            Process p = new ProcessBuilder("/bin/true").start();
            p.waitFor(10, TimeUnit.SECONDS);
        }));
        report("sandbox (bwrap+prlimit)", time(runs, () -> check(plainBwrap.run(spec, OutputSink.DISCARD))));
        if (cg.isPresent()) {
            report("sandbox + pids cgroup (production)", time(runs, () -> check(cgBwrap.run(spec, OutputSink.DISCARD))));
        } else {
            System.out.println("no writable pids cgroup: production path = sandbox row");
        }
    }

    static void check(ExecResult r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("sandboxed /bin/true exited " + r.exitCode() + ": " + r.stderr());
        }
    }

    interface Action {
        void run() throws Exception;
    }

    static double[] time(int runs, Action a) throws Exception {
        for (int i = 0; i < Math.min(30, runs); i++) {
            a.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            a.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    static void report(String what, double[] ms) {
        System.out.printf("%-38s p50 %7.2f ms   p99 %7.2f ms   min %6.2f ms%n", what, pct(ms, 50), pct(ms, 99), ms[0]);
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static void grep(Path work, int files) throws Exception {
        Path repo = work.resolve("repo");
        long t0 = System.nanoTime();
        generate(repo, files);
        System.out.printf("generated %d files in %.1f s%n", files, (System.nanoTime() - t0) / 1e9);
        GrepEngine engine = new GrepEngine(10L << 20);
        for (String[] q : new String[][] {{"literal (rare)", "needle_token_42", "false"},
                {"regex (common)", "fn [a-z]+_7\\(", "true"}}) {
            List<Double> ours = new ArrayList<>();
            List<Double> gnu = new ArrayList<>();
            int ourCount = 0;
            long gnuCount = 0;
            for (int rep = 0; rep < 3; rep++) {
                long t = System.nanoTime();
                var r = engine.search(GrepQuery.of(q[1], q[2].equals("true"), true, repo, List.of(), List.of(), 0,
                        1_000_000));
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
            System.out.printf("grep %-16s engine median %7.0f ms (%d matches)   GNU grep -rn median %7.0f ms (%d"
                    + " matches)%n", q[0], ours.get(1), ourCount, gnu.get(1), gnuCount);
        }
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
