package run.codetether.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the launcher in a folder of its own with its stack's ports (free loopback ports, never the defaults),
 * and what the launcher tests ask of it: run a command, read a part's pid, kill -9 a part, wait for readiness, list
 * the processes still running from the folder.
 */
final class LauncherStack {
    static final List<String> PARTS = List.of("kafka", "tools", "router", "agent", "swarm", "gateway");
    /** The five services by part name, each with the module whose packaged jar the launcher starts. */
    static final Map<String, String> SERVICE_MODULES = Map.of("tools", "tools-service", "router", "router-service",
            "agent", "agent-service", "swarm", "swarm-service", "gateway", "gateway-service");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path root;
    final Map<String, String> env = new HashMap<>();

    LauncherStack(Path root) throws IOException {
        this.root = root;
        Path repo = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        Files.copy(repo.resolve("codetether"), root.resolve("codetether"));
        root.resolve("codetether").toFile().setExecutable(true);
        // the wrapper's properties are generated on first use (they name a download host): present, so none is made
        Files.createDirectories(root.resolve(".mvn/wrapper"));
        Files.writeString(root.resolve(".mvn/wrapper/maven-wrapper.properties"), "");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", Files.createDirectories(root.resolve("home")).toString());
        env.put("CODETETHER_NO_AOT", "1");
        for (String port : List.of("KAFKA", "KAFKA_CONTROLLER", "TOOLS_GRPC", "ROUTER_GRPC", "GATEWAY_GRPC", "TOOLS",
                "ROUTER", "AGENT", "SWARM", "GATEWAY")) {
            env.put("CODETETHER_" + port + "_PORT", String.valueOf(run.codetether.fixtures.net.LoopbackPorts.free()));
        }
    }

    /**
     * A launcher copy whose five services are {@link StandInParts} (readiness answered, ports held), with 240 s for
     * {@code up}: what the launcher tests that are not about the services' own boot start from.
     */
    static LauncherStack withStandIns(Path root) throws Exception {
        LauncherStack stack = new LauncherStack(root);
        stack.env.put("CODETETHER_UP_TIMEOUT", "240");
        StandInParts.build(root, SERVICE_MODULES.values());
        return stack;
    }

    int httpPort(String part) {
        return Integer.parseInt(env.get("CODETETHER_" + part.toUpperCase() + "_PORT"));
    }

    Path pids() {
        return root.resolve(".codetether/pids");
    }

    String supervisorLog() throws IOException {
        Path log = root.resolve(".codetether/logs/supervisor.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * The supervisor's log once it has every one of {@code lines}: it logs a part "ready again" on its own readiness
     * look (every few seconds), which can come after a client already found the part ready.
     */
    String awaitSupervisorLog(Duration within, String... lines) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String log = supervisorLog();
        while (!java.util.Arrays.stream(lines).allMatch(log::contains) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            log = supervisorLog();
        }
        return log;
    }

    OptionalLong pid(String part) throws IOException {
        Path file = pids().resolve(part + ".pid");
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(file).trim();
        return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    }

    /** The command line of the part's process (the JVM the pid file names), arguments joined by spaces. */
    String cmdline(String part) throws IOException {
        long pid = pid(part).orElseThrow(() -> new AssertionError(part + " has no pid file"));
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
        return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    }

    /** kill -9 of the part's process (the JVM the pid file names); returns once it is gone. */
    long kill9(String part) throws Exception {
        long pid = pid(part).orElseThrow(() -> new AssertionError(part + " has no pid file"));
        Process kill = new ProcessBuilder("kill", "-KILL", String.valueOf(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -9 " + pid + " (" + part + ") failed");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return pid;
    }

    /** Running, not a zombie (this container's pid 1 reaps no orphan). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    boolean ready(String part) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort(part) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
    }

    /**
     * Waits until the part runs under a pid other than {@code killed} and answers ready; returns the seconds it took
     * from the call.
     */
    long awaitRestarted(String part, long killed, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong now = pid(part);
            if (now.isPresent() && now.getAsLong() != killed && alive(now.getAsLong()) && ready(part)) {
                return Duration.ofNanos(System.nanoTime() - start).toSeconds();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(part + " not started again and ready within " + timeout + "\nstatus:\n"
                + run("status").out() + "\nsupervisor log:\n" + supervisorLog());
    }

    /** The pids of processes still running whose command line names this folder (the stack's JVMs, the watchers). */
    List<Long> processesOfThisStack() throws IOException {
        List<Long> found = new ArrayList<>();
        String me = String.valueOf(ProcessHandle.current().pid());
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (cmd.contains(root.toString()) && !p.getFileName().toString().equals(me) && alive(pid)) {
                        found.add(pid);
                    }
                } catch (IOException gone) {
                    // exited while listed
                }
            }
        }
        return found;
    }

    Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> extra, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("codetether").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("CODETETHER_NO_SUPERVISE");
        pb.environment().remove("CODETETHER_NO_AOT");
        pb.environment().remove("CODETETHER_SERVICE_JIT"); // a developer's own choice (c1) is not the default tested
        pb.environment().putAll(env);
        pb.environment().putAll(extra);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(420, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 420 s: " + cmd + "\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {}
}
