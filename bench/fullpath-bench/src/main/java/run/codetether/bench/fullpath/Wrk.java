package run.codetether.bench.fullpath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One wrk run with the bench's Lua script ({@code fullpath/a2a.lua}): the load generator of every row. A run that
 * prints no result line, or exits non-zero, fails the bench with wrk's own output.
 */
final class Wrk {
    /** What the script counts and wrk measures; latencies in microseconds. */
    record Result(long requests, long completed, long failed, long durationUs, long p50Us, long p99Us, long meanUs,
            long maxUs, long socketErrors, String sampleFailure) {
        double perSecond() {
            return completed * 1e6 / durationUs;
        }
    }

    /** A row's load: the wrk mode (send, get, card), the text a good body contains, and the task of a GetTask. */
    record Load(String mode, String expect, String taskId) {}

    private final String executable;
    private final Path script;
    private final int threads;

    Wrk(Path workDir, int threads) {
        this.executable = FullPathBench.executable("wrk", "wrk is not installed: apt-get install -y wrk (Debian package wrk)");
        this.threads = threads;
        this.script = workDir.resolve("a2a.lua");
        try (InputStream in = Wrk.class.getResourceAsStream("/fullpath/a2a.lua")) {
            if (in == null) {
                throw new IllegalStateException("fullpath/a2a.lua is not on the classpath: rebuild the bench");
            }
            Files.createDirectories(workDir);
            Files.write(script, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the wrk script to " + script, e);
        }
    }

    Result run(String url, Load load, int connections, Duration duration, String nonce) {
        List<String> cmd = new ArrayList<>(List.of(executable, "-t", String.valueOf(Math.min(threads, connections)),
                "-c", String.valueOf(connections), "-d", duration.toSeconds() + "s", "--timeout", "60s", "-s",
                script.toString(), url, "--", load.mode(), load.expect(), nonce,
                load.taskId() == null ? "" : load.taskId()));
        String out;
        int exit;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not finish: " + String.join(" ", cmd));
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while wrk ran", e);
        }
        String line = out.lines().filter(l -> l.startsWith("WRK-RESULT ")).findFirst().orElse(null);
        if (exit != 0 || line == null) {
            throw new IllegalStateException("wrk failed (exit " + exit + "): " + String.join(" ", cmd) + "\n" + out);
        }
        Map<String, Long> v = new HashMap<>();
        for (String kv : line.substring("WRK-RESULT ".length()).trim().split(" ")) {
            int eq = kv.indexOf('=');
            v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        String sample = out.lines().filter(l -> l.startsWith("WRK-SAMPLE-FAILURE ")).findFirst()
                .map(l -> l.substring("WRK-SAMPLE-FAILURE ".length())).orElse("");
        return new Result(v.get("requests"), v.get("completed"), v.get("failed"), v.get("duration_us"),
                v.get("p50_us"), v.get("p99_us"), v.get("mean_us"), v.get("max_us"),
                v.get("connect_err") + v.get("read_err") + v.get("write_err") + v.get("timeout_err"), sample);
    }
}
