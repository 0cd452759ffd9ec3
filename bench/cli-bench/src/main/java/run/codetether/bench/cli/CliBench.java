package run.codetether.bench.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Start-up and latency of the CLI and TUI, measured from outside as a user feels them: through the launcher
 * (with its AOT cache or CDS archive), in a pseudo-terminal made by script(1), against a loopback gateway.
 * <ul>
 *   <li>{@code --version}: wall time and max RSS (GNU time);</li>
 *   <li>{@code run}: from process start to the first request arriving at the gateway;</li>
 *   <li>TUI: from process start to the first complete frame on the pty, and RSS once idle;</li>
 *   <li>keystroke to echo: a key typed while an answer streams at 200 tokens/s, until it is drawn.</li>
 * </ul>
 * Usage: {@code java -jar bench/cli-bench/target/cli-bench.jar [--launcher ./codetether] [--runs 10]
 * [--only version,run,tui,echo] [--no-aot]}; {@code --no-aot} runs the launcher with CODETETHER_NO_AOT=1.
 */
public final class CliBench {
    private static final String MARKER = "? help";
    /** The status bar's end: once per frame (the input box's border also says "? help"). */
    private static final String STATUS_BAR_END = "? help · Ctrl+C";
    private static boolean noAotCaches;
    private static boolean noEarlyRun;

    public static void main(String[] args) throws Exception {
        String launcher = "./codetether";
        int runs = 10;
        java.util.Set<String> only = java.util.Set.of("version", "run", "tui", "echo");
        boolean noAot = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--launcher" -> launcher = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                // the launcher's start-up caches off (CODETETHER_NO_AOT=1): the "without" half of a pair
                case "--no-aot" -> noAot = true;
                // run's first request from the JVM only (CODETETHER_NO_EARLY_RUN=1): the launcher sends none
                case "--no-early-run" -> noEarlyRun = true;
                default -> {
                    System.out.println("usage: cli-bench [--launcher ./codetether] [--runs N] [--only version,run,tui,echo] [--no-aot] [--no-early-run]");
                    return;
                }
            }
        }
        // every command runs in a plain directory (the temporary home): `run` started inside a git checkout sends
        // that checkout as the task's workspace (git bundle), which is the checkout's cost, not start-up
        launcher = Path.of(launcher).toAbsolutePath().normalize().toString();
        noAotCaches = noAot;
        Path home = Files.createTempDirectory("cli-bench-home");
        Gateway gateway = new Gateway();
        try {
            warm(launcher, home, gateway);
            if (only.contains("version")) {
                version(launcher, home, runs);
            }
            if (only.contains("run")) {
                firstRequest(launcher, home, gateway, runs);
            }
            if (only.contains("tui")) {
                firstFrame(launcher, home, gateway, runs);
            }
            if (only.contains("echo")) {
                echo(launcher, home, gateway);
            }
        } finally {
            gateway.close();
        }
    }

    /**
     * One run of each measured path first, so the launcher's class-data archives exist before anything is measured
     * (one per start-up path: version, run, tui). On JDK 25 each path's AOT cache is trained in the background on
     * its first use: wait until no training runs.
     */
    private static void warm(String launcher, Path home, Gateway gateway) throws Exception {
        run(List.of(launcher, "cli", "--version"), home);
        run(List.of(launcher, "cli", "--url", gateway.url(), "run", "hi"), home);
        try (Pty pty = Pty.start(launcher + " tui --url " + gateway.url(), home)) {
            pty.await(MARKER, 0, 60_000);
            pty.write("\u0011"); // Ctrl+Q
        }
        Path startup = Path.of(launcher).getParent().resolve("cli/target/startup");
        for (int i = 0; i < 1200 && training(startup); i++) {
            Thread.sleep(500);
        }
        run(List.of(launcher, "cli", "--version"), home);
    }

    private static boolean training(Path startup) throws IOException {
        if (!Files.isDirectory(startup)) {
            return false;
        }
        try (var files = Files.list(startup)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("training.*\\.lock"));
        }
    }

    private static void version(String launcher, Path home, int runs) throws Exception {
        List<Double> wall = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String out = run(List.of("/usr/bin/time", "-f", "TIME %e %M %U %S", launcher, "cli", "--version"), home);
            for (String line : out.split("\n")) {
                if (line.startsWith("TIME ")) {
                    String[] p = line.split(" ");
                    wall.add(Double.parseDouble(p[1]) * 1000);
                    rss.add(Double.parseDouble(p[2]) / 1024);
                    cpu.add((Double.parseDouble(p[3]) + Double.parseDouble(p[4])) * 1000);
                }
            }
        }
        System.out.printf("--version         wall p50 %.0f ms (min %.0f)   CPU p50 %.0f ms   max RSS p50 %.1f MB%n",
                p50(wall), min(wall), p50(cpu), p50(rss));
    }

    private static void firstRequest(String launcher, Path home, Gateway gateway, int runs) throws Exception {
        List<Double> ms = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> exit = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            gateway.firstRequestAt.set(0);
            gateway.cpuAtRequest.set(-1);
            gateway.rssAtRequestKb.set(-1);
            ProcessBuilder pb = new ProcessBuilder(launcher, "cli", "--url", gateway.url(), "run", "hi").redirectErrorStream(true)
                    .directory(home.toFile());
            env(pb.environment(), home);
            long start = System.nanoTime();
            Process p = pb.start();
            gateway.watched = p.pid(); // the launcher execs java: same pid
            p.getInputStream().readAllBytes();
            p.waitFor();
            exit.add((System.nanoTime() - start) / 1e6);
            ms.add((gateway.firstRequestAt.get() - start) / 1e6);
            cpu.add(gateway.cpuAtRequest.get() * 10.0);
            rss.add(gateway.rssAtRequestKb.get() / 1024.0);
        }
        System.out.printf("run -> request    p50 %.0f ms (min %.0f)   CPU until then p50 %.0f ms   RSS then p50 %.1f MB"
                + "   to its exit p50 %.0f ms (min %.0f)%n", p50(ms), min(ms), p50(cpu), p50(rss), p50(exit), min(exit));
    }

    /**
     * The first frame is the status bar's first appearance, whoever drew it (the launcher's frame cache, the TUI's
     * early frame, or its {@code Display}); "live" is the status bar's second, which the TUI's {@code Display} writes once JLine's
     * terminal is ready and keys are read (the early or cached frame is drawn again cell by cell over itself).
     */
    private static void firstFrame(String launcher, Path home, Gateway gateway, int runs) throws Exception {
        List<Double> ms = new ArrayList<>();
        List<Double> live = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> liveCpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Pty pty = Pty.start(launcher + " tui --url " + gateway.url(), home)) {
                long frame = pty.await(MARKER, 0, 30_000);
                ms.add((frame - pty.started) / 1e6);
                cpu.add(pty.javaCpuMs());
                long second = pty.awaitCount(STATUS_BAR_END, 0, 2, 5_000);
                if (second > 0) {
                    live.add((second - pty.started) / 1e6);
                    liveCpu.add(pty.javaCpuMs());
                }
                Thread.sleep(300);
                rss.add(pty.javaRssMb());
                pty.write("\u0011"); // Ctrl+Q
            }
        }
        System.out.printf("TUI first frame   p50 %.0f ms (min %.0f)   CPU until then p50 %.0f ms   idle RSS p50 %.1f MB%n",
                p50(ms), min(ms), p50(cpu), p50(rss));
        System.out.printf("TUI live          p50 %.0f ms (min %.0f)   CPU until then p50 %.0f ms   (%d of %d runs drew twice)%n",
                p50(live), min(live), p50(liveCpu), live.size(), runs);
    }

    private static void echo(String launcher, Path home, Gateway gateway) throws Exception {
        String keys = "§¶¤µ±×÷¿¡¢£¥©®°";
        List<Double> ms = new ArrayList<>();
        try (Pty pty = Pty.start(launcher + " tui --url " + gateway.url(), home)) {
            pty.await(MARKER, 0, 30_000);
            pty.write("stream please\r");
            pty.await("lorem", 0, 10_000);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < keys.length(); i++) {
                    String k = String.valueOf(keys.charAt(i));
                    int from = pty.size();
                    long sent = System.nanoTime();
                    pty.write(k);
                    long seen = pty.await(k, from, 5_000);
                    ms.add((seen - sent) / 1e6);
                    Thread.sleep(100);
                }
                pty.write("\u0015"); // Ctrl+U clears the prompt for the next round
                Thread.sleep(100);
            }
            pty.write("\u0011");
        }
        Collections.sort(ms);
        System.out.printf("key -> echo while streaming 200 tok/s: p50 %.1f ms  p90 %.1f ms  max %.1f ms (%d keys)%n",
                p50(ms), ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), ms.size());
    }

    private static String run(List<String> cmd, Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
        env(pb.environment(), home);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static void env(Map<String, String> env, Path home) {
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("TERM", "xterm-256color");
        env.put("LANG", "C.UTF-8");
        if (noAotCaches) {
            env.put("CODETETHER_NO_AOT", "1");
        }
        if (noEarlyRun) {
            env.put("CODETETHER_NO_EARLY_RUN", "1");
        }
    }

    /** A process's resident set (VmRSS) in KB, or -1 when it is gone. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double p50(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** A process in a pseudo-terminal of 80x24 (script(1)), its output collected with arrival times. */
    static final class Pty implements AutoCloseable {
        final long started = System.nanoTime();
        private final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Object lock = new Object();

        private Pty(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().start(this::pump);
        }

        static Pty start(String command, Path home) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("script", "-qfec", "stty cols 80 rows 24; exec " + command, "/dev/null")
                    .directory(home.toFile());
            env(pb.environment(), home);
            return new Pty(pb.start());
        }

        private void pump() {
            byte[] buf = new byte[8192];
            try (InputStream in = process.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (lock) {
                        out.write(buf, 0, n);
                        lock.notifyAll();
                    }
                    answerQueries(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException ended) {
                // the process ended
            }
        }

        /**
         * Answers what a terminal emulator answers (script(1) is only a pty): JLine asks for the kitty keyboard
         * flags, DEC private modes (DECRQM), the device attributes and the cursor position, and waits for replies.
         */
        private void answerQueries(String chunk) {
            StringBuilder reply = new StringBuilder();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\u001b\\[(\\?u|\\?(\\d+)\\$p|c|6n)").matcher(chunk);
            while (m.find()) {
                switch (m.group(1)) {
                    case "?u" -> reply.append("\u001b[?0u");
                    case "c" -> reply.append("\u001b[?62;22c");
                    case "6n" -> reply.append("\u001b[1;1R");
                    default -> reply.append("\u001b[?").append(m.group(2)).append(";0$y");
                }
            }
            if (!reply.isEmpty()) {
                try {
                    write(reply.toString());
                } catch (IOException gone) {
                    // the process ended
                }
            }
        }

        int size() {
            synchronized (lock) {
                return out.size();
            }
        }

        /** Waits until {@code text} appears after byte offset {@code from}; answers System.nanoTime() then. */
        long await(String text, int from, long timeoutMs) throws InterruptedException {
            long at = awaitCount(text, from, 1, timeoutMs);
            if (at < 0) {
                synchronized (lock) {
                    byte[] all = out.toByteArray();
                    throw new IllegalStateException("no '" + text + "' on the screen; output tail: "
                            + new String(all, Math.max(0, all.length - 600), Math.min(600, all.length), StandardCharsets.UTF_8));
                }
            }
            return at;
        }

        /** When {@code text} has appeared {@code count} times after byte {@code from} (System.nanoTime()), or -1. */
        long awaitCount(String text, int from, int count, long timeoutMs) throws InterruptedException {
            byte[] needle = text.getBytes(StandardCharsets.UTF_8);
            long deadline = System.currentTimeMillis() + timeoutMs;
            synchronized (lock) {
                while (true) {
                    byte[] all = out.toByteArray();
                    int seen = 0;
                    for (int at = indexOf(all, needle, from); at >= 0; at = indexOf(all, needle, at + 1)) {
                        if (++seen == count) {
                            return System.nanoTime();
                        }
                    }
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        return -1;
                    }
                    lock.wait(left);
                }
            }
        }

        void write(String s) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(s.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** CPU (user + system) the TUI's JVM used so far; clock-tick resolution (10 ms); 0 while no JVM runs yet. */
        double javaCpuMs() {
            return process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst().map(h -> cpuTicks(h.pid()) * 10.0).orElse(0.0);
        }

        double javaRssMb() {
            return process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst().map(h -> {
                        long kb = rssKb(h.pid());
                        return kb < 0 ? Double.NaN : kb / 1024.0;
                    }).orElse(Double.NaN);
        }

        private static int indexOf(byte[] hay, byte[] needle, int from) {
            outer:
            for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public void close() throws Exception {
            if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                process.waitFor();
            }
        }
    }

    /**
     * A loopback gateway: {@code run} gets a completed task at once; a TUI prompt gets an answer streamed as
     * partial updates at 200 tokens/s for 12 s (the cumulative text each time, as the platform sends it).
     */
    static final class Gateway implements AutoCloseable {
        final AtomicLong firstRequestAt = new AtomicLong();
        final AtomicLong cpuAtRequest = new AtomicLong(-1);
        final AtomicLong rssAtRequestKb = new AtomicLong(-1);
        volatile long watched = -1;
        private final HttpServer server;

        Gateway() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", ex -> {
                if (firstRequestAt.compareAndSet(0, System.nanoTime()) && watched > 0) {
                    cpuAtRequest.set(cpuTicks(watched));
                    rssAtRequestKb.set(rssKb(watched));
                }
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (ex.getRequestMethod().equals("GET")) {
                    ex.sendResponseHeaders(404, -1);
                    ex.close();
                    return;
                }
                ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    frame(out, "{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}");
                    if (body.contains("stream please")) {
                        StringBuilder text = new StringBuilder();
                        long next = System.nanoTime();
                        for (int i = 0; i < 2400; i++) {
                            text.append(i % 12 == 11 ? "lorem\n" : "lorem ");
                            frame(out, "{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":"
                                    + "\"TASK_STATE_WORKING\",\"message\":{\"parts\":[{\"text\":\""
                                    + text.toString().replace("\n", "\\n") + "\"}]}},\"metadata\":{\"partial\":true,\"step\":1}}}");
                            next += 5_000_000L;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                    }
                    frame(out, "{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":"
                            + "\"TASK_STATE_COMPLETED\",\"message\":{\"parts\":[{\"text\":\"ok\"}]}},\"metadata\":{}}}");
                } catch (InterruptedException | IOException e) {
                    // the client went away
                }
            });
            server.start();
        }

        private static void frame(OutputStream out, String result) throws IOException {
            out.write(("data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
