package run.codetether.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged service ({@code target/quarkus-app/quarkus-run.jar}) run as a real process on a free loopback port
 * (tools-service, router-service and the gateway on two: HTTP and their own gRPC server), its output in
 * {@code target/e2e-logs/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    /** The HTTP port (health, metrics, REST, JSON-RPC). */
    final int port;
    /**
     * Where its gRPC clients call it: the own gRPC server of tools-service, router-service and the gateway (A2A gRPC,
     * WorkerHub; docs/operations.md "GOAWAY"), the HTTP port for the other services (which serve no gRPC).
     */
    final int grpcPort;
    private final Process process;
    private final Path log;
    /** What it was started with, for {@link #restart}. */
    private final Map<String, String> env;
    private final String[] systemProperties;

    private ServiceProcess(String name, int port, int grpcPort, Process process, Path log, Map<String, String> env,
            String[] systemProperties) {
        this.name = name;
        this.port = port;
        this.grpcPort = grpcPort;
        this.process = process;
        this.log = log;
        this.env = Map.copyOf(env);
        this.systemProperties = systemProperties.clone();
    }

    static ServiceProcess start(String module, Map<String, String> env, String... systemProperties) throws IOException {
        int port = freePort();
        return start(module, port, ownGrpcServer(module) ? freePort() : port, "", env, systemProperties);
    }

    private static boolean ownGrpcServer(String module) {
        return module.equals("tools-service") || module.equals("router-service") || module.equals("gateway-service");
    }

    /**
     * The same service again, on the same ports (where its clients look for it) with the same environment and system
     * properties, after it was killed; its log is {@code <name>-<port>-restarted.log}.
     */
    static ServiceProcess restart(ServiceProcess killed) throws IOException {
        if (killed.alive()) {
            throw new IllegalStateException(killed.name + " is still running");
        }
        return start(killed.name, killed.port, killed.grpcPort, "-restarted", killed.env, killed.systemProperties);
    }

    private static ServiceProcess start(String module, int port, int grpcPort, String logSuffix,
            Map<String, String> env, String... systemProperties) throws IOException {
        Path root = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw package)");
        }
        Path logs = root.resolve("e2e-tests/target/e2e-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(module + "-" + port + logSuffix + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.profile=local"));
        if (ownGrpcServer(module)) {
            command.add("-Dquarkus.grpc.server.port=" + grpcPort);
        }
        command.addAll(List.of(systemProperties));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().putAll(env);
        return new ServiceProcess(module, port, grpcPort, builder.start(), log, env, systemProperties);
    }

    /**
     * An agent worker on the given broker whose `local` provider is the scripted LLM and whose tools are the given
     * tools-service; no router, no Vault, no key file.
     */
    static ServiceProcess startAgent(String kafka, String llmBaseUrl, ServiceProcess tools, Path scratch,
            String... systemProperties) throws IOException {
        return startAgent(kafka, llmBaseUrl, tools, scratch, Map.of(), systemProperties);
    }

    /** An agent worker as above, plus {@code env} (an instance id, a model catalog), which wins over the above. */
    static ServiceProcess startAgent(String kafka, String llmBaseUrl, ServiceProcess tools, Path scratch,
            Map<String, String> env, String... systemProperties) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                "CODETETHER_LOCAL_BASE_URL", llmBaseUrl,
                "CODETETHER_LOCAL_MODEL", "scripted-coder",
                "CODETETHER_AGENT_TOOLS_HOST", "127.0.0.1",
                "CODETETHER_AGENT_TOOLS_PORT", String.valueOf(tools.grpcPort),
                "CODETETHER_TOOL_ROUTER_ENABLED", "false",
                "CODETETHER_SECRETS_FILE", scratch.resolve("no-secrets.json").toString()));
        all.putAll(env);
        return start("agent-service", all, systemProperties);
    }

    ServiceProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
    }

    /**
     * kill -9: SIGKILL to the service's JVM (no shutdown hook, no graceful leave of a consumer group, no final
     * answer on open calls), then waits for it to be gone.
     *
     * @return the exit status (137: killed by SIGKILL)
     */
    int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 20 s");
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The whole log of this process so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        return run.codetether.fixtures.net.LoopbackPorts.free();
    }
}
