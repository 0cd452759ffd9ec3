package run.codetether.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.infra.worker.KafkaWorkerCalls;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.LoadAverage;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.Readiness;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * Per-tool-call overhead of worker mode against tools-service, side by side in one run (issue 15). The same
 * {@code read_file} of a small file is sent, interleaved (one of each in turn, so a change of load hits both rows
 * alike), through the agent's two real clients:
 *
 * <ul>
 *   <li>worker path: {@link KafkaWorkerCalls} -> {@code workers.calls} -> the packaged gateway -> its gRPC stream ->
 *       the packaged CLI worker ({@code codetether worker}) -> the stream -> gateway -> {@code workers.results};</li>
 *   <li>tools-service path: {@link GrpcToolExecutor} -> the packaged tools-service (one unary gRPC call).</li>
 * </ul>
 *
 * Both ends run the same tool code (tools-core), so the difference is the worker path's transport. Everything on
 * loopback, an in-process KRaft broker. Args: {@code [calls=1000] [warmup=200]}.
 */
public final class WorkerBench {
    private static final ObjectMapper JSON = run.codetether.platform.json.Json.mapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path tmp = Files.createTempDirectory("worker-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(1);
                Children children = new Children(tmp)) {
            String kafka = broker.bootstrapServers();
            int toolsPort = Ports.freeLoopbackPort();
            int toolsGrpcPort = Ports.freeLoopbackPort();
            int gatewayPort = Ports.freeLoopbackPort();
            int gatewayGrpcPort = Ports.freeLoopbackPort();
            Path workspaces = Files.createDirectories(tmp.resolve("tools-workspaces"));
            // tools-service serves gRPC on a server of its own (docs/operations.md "GOAWAY")
            Children.Child tools = service(children, root, "tools-service", toolsPort, Map.of(
                    "CODETETHER_TOOLS_WORKSPACE_ROOT", workspaces.toString(),
                    "QUARKUS_GRPC_SERVER_PORT", String.valueOf(toolsGrpcPort)));
            Children.Child gateway = service(children, root, "gateway-service", gatewayPort, Map.of(
                    "CODETETHER_KAFKA_BOOTSTRAP", kafka, "CODETETHER_GATEWAY_INSTANCE_ID", "bench-gw",
                    // the worker's stream goes to the gateway's own gRPC server, not its HTTP port
                    "QUARKUS_GRPC_SERVER_PORT", String.valueOf(gatewayGrpcPort)));
            Readiness.awaitHealthReady(tools, toolsPort, Duration.ofSeconds(180));
            Readiness.awaitHealthReady(gateway, gatewayPort, Duration.ofSeconds(180));

            Path codebase = Files.createDirectories(tmp.resolve("app"));
            String content = "line one\nline two\nline three\n";
            Files.writeString(codebase.resolve("small.txt"), content);
            Children.Child worker = worker(children, root, tmp, gatewayGrpcPort, codebase);
            String codebaseId = awaitCodebase(gatewayPort, "app", worker.process(), worker.log());

            try (KafkaWorkerCalls viaWorker = new KafkaWorkerCalls(kafka, "bench-agent", Duration.ofSeconds(30));
                    GrpcToolExecutor viaTools = new GrpcToolExecutor("127.0.0.1", toolsGrpcPort)) {
                viaWorker.start(Duration.ofSeconds(30));
                String session = "bench-session";
                check(viaTools.execute(session, "bench-write", "write_file", JSON.writeValueAsString(
                        java.util.Map.of("path", "small.txt", "content", content)), Duration.ofSeconds(30)), "write");
                String read = "{\"path\":\"small.txt\"}";
                long[] worker1 = new long[calls];
                long[] tools1 = new long[calls];
                double loadBefore = LoadAverage.oneMinute();
                long started = System.nanoTime();
                for (int i = -warmup; i < calls; i++) {
                    long t0 = System.nanoTime();
                    check(viaWorker.execute(codebaseId, "bench-w-" + i, "read_file", read, Duration.ofSeconds(30),
                            null), "worker read " + i);
                    long t1 = System.nanoTime();
                    check(viaTools.execute(session, "bench-t-" + i, "read_file", read, Duration.ofSeconds(30)),
                            "tools-service read " + i);
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        worker1[i] = t1 - t0;
                        tools1[i] = t2 - t1;
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "%d read_file calls per path after %d warm-up calls each, interleaved,"
                        + " %.1f s; load average %.2f -> %.2f; %d cores%n", calls, warmup, seconds, loadBefore, LoadAverage.oneMinute(),
                        Runtime.getRuntime().availableProcessors());
                row("worker path (Kafka + gateway + stream)", worker1);
                row("tools-service (gRPC unary)", tools1);
                long[] diff = new long[calls];
                for (int i = 0; i < calls; i++) {
                    diff[i] = worker1[i] - tools1[i];
                }
                row("difference per pair (worker - tools)", diff);
            }
        }
    }

    private static void check(ToolExecutor.Outcome o, String what) {
        if (!o.ok()) {
            throw new IllegalStateException(what + " failed: " + o.error());
        }
    }

    private static void row(String name, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-40s p50=%7.3f ms  p99=%7.3f ms  min=%7.3f ms  mean=%7.3f ms%n", name,
                s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6,
                s[0] / 1e6, Arrays.stream(s).average().orElse(0) / 1e6);
    }

    /** A packaged service with the JVM options this benchmark has always used (not the launcher's). */
    private static Children.Child service(Children children, Path root, String module, int port,
            Map<String, String> env) {
        return children.quarkusJar(root, module, module, port, List.of("-Xmx256m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED"), Map.of("quarkus.profile", "local"), env);
    }

    private static Children.Child worker(Children children, Path root, Path tmp, int gatewayGrpcPort, Path codebase)
            throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(root.resolve("cli/target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("cli-.*-runner\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("cli/target/cli-*-runner.jar is missing"));
        }
        Path home = Files.createDirectories(tmp.resolve("home"));
        return children.start("worker", List.of(Children.java(), "-XX:+UseSerialGC", "-jar", jar.toString(), "worker",
                "--server", "http://127.0.0.1:" + gatewayGrpcPort, "--codebases", codebase.toString(), "--name", "bench",
                "--auto-approve", "all", "--state-dir", tmp.resolve("worker-state").toString()),
                Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString()), null);
    }

    /** The codebase id once the gateway lists the worker's codebase. */
    private static String awaitCodebase(int gatewayPort, String name, Process worker, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new IllegalStateException("the worker exited:\n" + Files.readString(log));
            }
            JsonNode list = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gatewayPort + "/v1/codebases")).build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode c : list.path("codebases")) {
                if (c.path("name").asText().equals(name)) {
                    return c.path("id").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the worker did not register:\n" + Files.readString(log));
    }
}
