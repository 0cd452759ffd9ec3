package run.codetether.bench.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.LoadAverage;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.Readiness;
import run.codetether.fixtures.git.GitDaemon;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 14's benchmark: how long a task on a ~50 MB git repository waits before its first model call, through the
 * packaged gateway, agent-service and tools-service on one in-process broker. Each round sends three tasks, one
 * after another (so a change of load hits every row alike): no workspace, {@code metadata.workspace.git} shallow
 * (the default, depth 1) and full ({@code depth: 0}). A row's time is SendMessage (JSON-RPC, returnImmediately) to
 * the first request the scripted model receives; the clone's overhead is a workspace row minus the no-workspace row
 * of the same round. Every task gets a fresh context (a fresh clone).
 * Usage: {@code WorkspaceBench [rounds=5] [workdir=/var/tmp/workspace-e2e-bench]}.
 */
public final class WorkspaceBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY = Duration.ofSeconds(180);

    private WorkspaceBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Path.of(args.length > 1 ? args[1] : "/var/tmp/workspace-e2e-bench");
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path served = work.resolve("served");
        if (!Files.exists(served.resolve("big.git"))) {
            generate(work.resolve("src"), served.resolve("big.git"));
        }
        Path bare = served.resolve("big.git");
        System.out.printf(Locale.ROOT, "repository: pack %.1f MB, HEAD tree %.1f MB (%s files), %s commits%n",
                size(bare.resolve("objects")) / 1e6, headTreeBytes(bare) / 1e6,
                git(bare, "ls-tree", "-r", "--name-only", "HEAD").lines().count(),
                git(bare, "rev-list", "--count", "HEAD").strip());
        Path tmp = Files.createTempDirectory("workspace-e2e-bench");
        Path workspaces = Files.createDirectories(tmp.resolve("workspaces"));
        Map<String, Long> firstCall = new ConcurrentHashMap<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(1);
                GitDaemon daemon = GitDaemon.start(served);
                ScriptedLlmServer llm = ScriptedLlmServer.start();
                Children children = new Children(tmp)) {
            // the model answers at once; the first request of each task stamps its arrival
            llm.respondWith(request -> {
                long now = System.nanoTime();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("bench-task-[0-9a-f-]{36}")
                        .matcher(request.bodyText());
                if (m.find()) {
                    firstCall.putIfAbsent(m.group(), now);
                }
                return Reply.text("ok");
            });
            String kafka = broker.bootstrapServers();
            int toolsPort = Ports.freeLoopbackPort();
            int toolsGrpcPort = Ports.freeLoopbackPort();
            int gatewayPort = Ports.freeLoopbackPort();
            int agentPort = Ports.freeLoopbackPort();
            // tools-service serves gRPC on a server of its own (docs/operations.md "GOAWAY")
            Children.Child tools = service(children, root, "tools-service", toolsPort, Map.of(
                    "CODETETHER_TOOLS_WORKSPACE_ROOT", workspaces.toString(),
                    "CODETETHER_TOOLS_GIT_ALLOW_LOOPBACK", "true",
                    "QUARKUS_GRPC_SERVER_PORT", String.valueOf(toolsGrpcPort)));
            Children.Child gateway = service(children, root, "gateway-service", gatewayPort, Map.of(
                    "CODETETHER_KAFKA_BOOTSTRAP", kafka, "CODETETHER_GATEWAY_TOOLS_HOST", "127.0.0.1",
                    "CODETETHER_GATEWAY_TOOLS_PORT", String.valueOf(toolsGrpcPort)));
            Children.Child agent = service(children, root, "agent-service", agentPort, Map.of(
                    "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                    "CODETETHER_LOCAL_BASE_URL", llm.openAiBaseUrl(), "CODETETHER_LOCAL_MODEL", "scripted-coder",
                    "CODETETHER_AGENT_TOOLS_HOST", "127.0.0.1", "CODETETHER_AGENT_TOOLS_PORT",
                    String.valueOf(toolsGrpcPort), "CODETETHER_TOOL_ROUTER_ENABLED", "false",
                    "CODETETHER_SECRETS_FILE", tmp.resolve("no-secrets.json").toString()));
            Readiness.awaitHealthReady(tools, toolsPort, READY);
            Readiness.awaitHealthReady(gateway, gatewayPort, READY);
            Readiness.awaitHealthReady(agent, agentPort, READY);

            String url = daemon.url("big.git");
            Map<String, Integer> depths = new LinkedHashMap<>();
            depths.put("no workspace", null);
            depths.put("git, shallow (depth 1, default)", 1);
            depths.put("git, full (depth 0)", 0);
            // one unmeasured round: JIT, the agent's first model client, the broker's first records
            for (Integer depth : depths.values()) {
                task(gatewayPort, url, depth, firstCall);
            }
            Map<String, long[]> rows = new LinkedHashMap<>();
            depths.keySet().forEach(k -> rows.put(k, new long[rounds]));
            double loadBefore = LoadAverage.oneMinute();
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, Integer> d : depths.entrySet()) {
                    rows.get(d.getKey())[r] = task(gatewayPort, url, d.getValue(), firstCall);
                }
            }
            System.out.printf(Locale.ROOT, "%d rounds, load average %.2f -> %.2f, %d cores%n", rounds, loadBefore,
                    LoadAverage.oneMinute(), Runtime.getRuntime().availableProcessors());
            long[] none = rows.get("no workspace");
            for (Map.Entry<String, long[]> row : rows.entrySet()) {
                print("send -> first model call, " + row.getKey(), row.getValue());
                if (row.getValue() != none) {
                    long[] diff = new long[rounds];
                    for (int i = 0; i < rounds; i++) {
                        diff[i] = row.getValue()[i] - none[i];
                    }
                    print("  overhead over no workspace (same round)", diff);
                }
            }
        } finally {
            System.out.println("service logs: " + tmp);
        }
    }

    /** One task: SendMessage to its first model request (ns); waits for the task to end before returning. */
    private static long task(int gatewayPort, String url, Integer depth, Map<String, Long> firstCall)
            throws Exception {
        String marker = "bench-task-" + UUID.randomUUID();
        ObjectNode params = JSON.createObjectNode();
        ObjectNode message = params.putObject("message").put("messageId", UUID.randomUUID().toString())
                .put("role", "ROLE_USER").put("contextId", "ctx-" + UUID.randomUUID());
        message.putArray("parts").addObject().put("text", "Say ok. " + marker);
        if (depth != null) {
            ObjectNode git = message.putObject("metadata").putObject("workspace").putObject("git");
            git.put("url", url).put("ref", "main").put("depth", depth);
        }
        params.putObject("configuration").put("returnImmediately", true);
        params.putObject("metadata").put("provider", "local");
        long t0 = System.nanoTime();
        JsonNode sent = rpc(gatewayPort, "SendMessage", params);
        String taskId = sent.path("task").path("id").asText();
        if (taskId.isEmpty()) {
            throw new IllegalStateException("SendMessage failed: " + sent);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (true) {
            JsonNode task = rpc(gatewayPort, "GetTask", JSON.createObjectNode().put("id", taskId));
            String state = task.path("status").path("state").asText();
            if (state.endsWith("COMPLETED")) {
                break;
            }
            if (state.endsWith("FAILED") || state.endsWith("REJECTED") || state.endsWith("CANCELED")
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException("task " + taskId + " ended " + state + ": " + task);
            }
            Thread.sleep(20);
        }
        Long first = firstCall.get(marker);
        if (first == null) {
            throw new IllegalStateException("task " + taskId + " completed without a model call");
        }
        return first - t0;
    }

    private static JsonNode rpc(int port, String method, JsonNode params) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        body.set("params", params);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (json.has("error")) {
            throw new IllegalStateException(method + " failed: " + json.get("error"));
        }
        return json.path("result");
    }

    /**
     * ~50 MB of git data: 1,500 source-like text files (8 KB each) and 8 incompressible binary blobs of 3 MB in the
     * first commit, then 6 commits that each rewrite 250 text files and replace one blob. HEAD's tree is about
     * 37 MB; the history adds the old versions, which only a full clone fetches.
     */
    static void generate(Path src, Path bare) throws IOException {
        Files.createDirectories(src);
        git(src, "init", "-q", "-b", "main");
        Random random = new Random(14);
        for (int i = 0; i < 1500; i++) {
            Path f = src.resolve("src/pkg" + (i % 60) + "/File" + i + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, text(random, i, 0));
        }
        for (int b = 0; b < 8; b++) {
            Path f = src.resolve("assets/blob" + b + ".bin");
            Files.createDirectories(f.getParent());
            Files.write(f, bytes(random, 3 << 20));
        }
        git(src, "add", "-A");
        git(src, "commit", "-q", "-m", "base");
        for (int c = 1; c <= 6; c++) {
            for (int k = 0; k < 250; k++) {
                int i = random.nextInt(1500);
                Files.writeString(src.resolve("src/pkg" + (i % 60) + "/File" + i + ".java"), text(random, i, c));
            }
            Files.write(src.resolve("assets/blob" + (c % 8) + ".bin"), bytes(random, 3 << 20));
            git(src, "add", "-A");
            git(src, "commit", "-q", "-m", "change " + c);
        }
        Files.createDirectories(bare.getParent());
        git(bare.getParent(), "clone", "-q", "--bare", src.toString(), bare.toString());
        git(bare, "gc", "-q");
    }

    private static String text(Random random, int file, int version) {
        StringBuilder sb = new StringBuilder("// file ").append(file).append(" version ").append(version).append('\n');
        while (sb.length() < 8192) {
            sb.append("    int v").append(random.nextInt(1_000_000)).append(" = compute(")
                    .append(Long.toHexString(random.nextLong())).append(");\n");
        }
        return sb.toString();
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static long headTreeBytes(Path bare) {
        long total = 0;
        for (String line : git(bare, "ls-tree", "-r", "-l", "HEAD").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && !f[3].equals("-")) {
                total += Long.parseLong(f[3]);
            }
        }
        return total;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String git(Path cwd, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Bench", "-c",
                "user.email=bench@example.invalid"));
        argv.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true);
            pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
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

    private static void print(String name, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-58s p50=%8.1f ms  min=%8.1f ms  max=%8.1f ms%n", name, s[s.length / 2] / 1e6,
                s[0] / 1e6, s[s.length - 1] / 1e6);
    }

    /** A packaged service with the JVM options these benchmarks have always used (not the launcher's). */
    private static Children.Child service(Children children, Path root, String module, int port,
            Map<String, String> env) {
        return children.quarkusJar(root, module, module, port, List.of("-Xmx256m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED"), Map.of("quarkus.profile", "local"), env);
    }
}
