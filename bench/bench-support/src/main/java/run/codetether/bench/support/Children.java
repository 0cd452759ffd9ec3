package run.codetether.bench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The child processes of one benchmark run, each with its output in {@code <logDir>/<name>.log}. {@link #close()}
 * stops all of them, last started first (SIGTERM, then SIGKILL after 10 s; descendants too), so a run leaves
 * nothing behind.
 */
public final class Children implements AutoCloseable {
    private final Path logDir;
    private final List<Child> started = new ArrayList<>();

    /** A started child: its name (also its log's), process and log file. */
    public record Child(String name, Process process, Path log) {
        public long pid() {
            return process.pid();
        }
    }

    public Children(Path logDir) {
        this.logDir = logDir;
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir, e);
        }
    }

    public Path logDir() {
        return logDir;
    }

    /** The java of the running JVM: the one on PATH may be older than the services need. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code command} in {@code workDir} (null: the current one) with {@code env} added to this one's. */
    public Child start(String name, List<String> command, Map<String, String> env, Path workDir) {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        // no DJL call-home, no telemetry: benchmarks talk to loopback only
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putAll(env);
        try {
            Child c = new Child(name, pb.start(), log);
            started.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    /**
     * Starts a packaged Quarkus service ({@code <root>/<module>/target/quarkus-app/quarkus-run.jar}) on a loopback
     * HTTP port with the given JVM options and {@code -D} properties; fails with the build command when the jar is
     * missing.
     */
    public Child quarkusJar(Path root, String module, String name, int port, List<String> jvmOptions,
            Map<String, String> properties, Map<String, String> env) {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package it first (./mvnw -B -pl " + module
                    + " -am package -DskipTests)");
        }
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        // gateway, router and tools serve gRPC on servers of their own: a free port unless the caller names one,
        // so a bench never collides with a local stack's 9080/9082/9084
        if (!properties.containsKey("quarkus.grpc.server.port")) {
            cmd.add("-Dquarkus.grpc.server.port=" + Ports.freeLoopbackPort());
        }
        cmd.add("-Dquarkus.grpc.server.host=127.0.0.1");
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        return start(name, cmd, env, null);
    }

    @Override
    public void close() {
        // one at a time, last started first: services stop while the broker they flush to is still up
        for (Child c : started.reversed()) {
            c.process().descendants().forEach(ProcessHandle::destroy);
            c.process().destroy();
            try {
                if (!c.process().waitFor(10, TimeUnit.SECONDS)) {
                    c.process().descendants().forEach(ProcessHandle::destroyForcibly);
                    c.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process().destroyForcibly();
            }
        }
        started.clear();
    }
}
