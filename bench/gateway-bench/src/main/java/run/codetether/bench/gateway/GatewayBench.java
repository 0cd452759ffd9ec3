package run.codetether.bench.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.ClosedLoop;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.Readiness;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * One run, two servers, the same work: non-blocking A2A 1.0 SendMessage ({@code returnImmediately: true}) from C
 * concurrent clients, N requests each side after a warm-up. Side A is the gateway (its packaged jar, over a real
 * in-process KRaft broker: every accepted message is two acknowledged Kafka writes plus a command); side B is the
 * {@code @a2a-js/sdk} server with a trivial in-memory agent. Loopback only.
 *
 * <p>Args: {@code requests concurrency} (defaults 5000 32). Needs {@code gateway-service/target/quarkus-app}
 * (package it first) and node with @a2a-js/sdk + express under {@code bench/gateway-bench/target/js}.
 */
public final class GatewayBench {
    private static final String KEY = "bench-client:bench-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    record Result(String name, int ok, int failed, double seconds, double p50, double p99) {
        @Override
        public String toString() {
            return String.format("%-28s ok=%d failed=%d  %.0f req/s  p50=%.2f ms  p99=%.2f ms", name, ok, failed,
                    ok / seconds, p50, p99);
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path root = Path.of(System.getProperty("bench.root", "../.."));
        Path jar = root.resolve("gateway-service/target/quarkus-app/quarkus-run.jar");
        Path js = root.resolve("bench/gateway-bench/target/js");
        if (!Files.exists(jar) || !Files.isDirectory(js.resolve("node_modules/@a2a-js/sdk"))) {
            throw new IllegalStateException("missing " + jar + " or " + js + "/node_modules: see bench/gateway-bench/README.md");
        }
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4);
                Children children = new Children(Path.of("target"))) {
            int gwPort = Ports.freeLoopbackPort();
            int jsPort = Ports.freeLoopbackPort();
            Children.Child gw = children.quarkusJar(root, "gateway-service", "gateway", gwPort, List.of("-Xmx512m"),
                    Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                            "codetether.gateway.auth.api-keys", KEY,
                            "codetether.gateway.rate-limit.requests-per-second", "0",
                            // no worker runs: every task stays submitted; the bench measures the front door, not admission
                            "codetether.gateway.limits.max-in-flight-per-client", "0",
                            "codetether.gateway.limits.max-in-flight", "0",
                            "codetether.gateway.instance-id", "bench", "quarkus.log.level", "WARN"), Map.of());
            Children.Child node = children.start("js-server", List.of("node", "js-server.mjs", String.valueOf(jsPort)),
                    Map.of(), js);
            String gwUrl = "http://127.0.0.1:" + gwPort + "/a2a";
            String jsUrl = "http://127.0.0.1:" + jsPort + "/a2a";
            Readiness.awaitHealthReady(gw, gwPort, Duration.ofSeconds(90));
            Readiness.awaitLogLine(node, "js-a2a ready", Duration.ofSeconds(90));
            System.out.printf("SendMessage (returnImmediately) x %d, concurrency %d, after %d warm-up each%n", requests,
                    concurrency, requests / 5);
            run("warm-up gateway", gwUrl, "Bearer bench-key-0123456789", requests / 5, concurrency);
            run("warm-up js", jsUrl, null, requests / 5, concurrency);
            Result a = run("codetether gateway (Kafka)", gwUrl, "Bearer bench-key-0123456789", requests, concurrency);
            Result b = run("@a2a-js/sdk 1.3.0 (memory)", jsUrl, null, requests, concurrency);
            System.out.println(a);
            System.out.println(b);
            // the front door's reads (issue 18): one task read again and again, and the public agent card
            String gwTask = acceptedTaskId(gwUrl, "Bearer bench-key-0123456789");
            String jsTask = acceptedTaskId(jsUrl, null);
            List<Result> reads = List.of(
                    runGetTask("GetTask gateway", gwUrl, "Bearer bench-key-0123456789", gwTask, requests, concurrency),
                    runGetTask("GetTask js", jsUrl, null, jsTask, requests, concurrency),
                    runCard("agent card gateway", "http://127.0.0.1:" + gwPort, requests, concurrency),
                    runCard("agent card js", "http://127.0.0.1:" + jsPort, requests, concurrency));
            reads.forEach(System.out::println);
        }
    }

    static HttpResponse<String> send(String url, String auth) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":{\"messageId\":\""
                + UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"echo bench\"}]},"
                + "\"configuration\":{\"returnImmediately\":true}}}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("A2A-Version", "1.0").POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final java.util.regex.Pattern TASK_ID =
            java.util.regex.Pattern.compile("\"task\"\\s*:\\s*\\{[^}]*?\"id\"\\s*:\\s*\"([^\"]+)\"");

    private static final java.util.regex.Pattern RESULT_ID =
            java.util.regex.Pattern.compile("\"result\"\\s*:\\s*\\{[^}]*?\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** Sends one message and returns the id of its task (the reads' target). */
    static String acceptedTaskId(String url, String auth) throws Exception {
        HttpResponse<String> r = send(url, auth);
        java.util.regex.Matcher m = TASK_ID.matcher(r.body());
        if (!m.find()) {
            m = RESULT_ID.matcher(r.body()); // a server that answers the task itself, not a oneof
        }
        if (r.statusCode() != 200 || !m.find(0)) {
            throw new IllegalStateException("no task id in the answer to a send: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    static HttpResponse<String> getTask(String url, String auth, String taskId) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"GetTask\",\"params\":{\"id\":\"" + taskId + "\"}}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("A2A-Version", "1.0").POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GetTask of one task, {@code requests} times: ok when the answer is that task. */
    static Result runGetTask(String name, String url, String auth, String taskId, int requests, int concurrency) {
        ClosedLoop.Run r = ClosedLoop.run(requests, concurrency, i -> {
            HttpResponse<String> response = getTask(url, auth, taskId);
            return response.statusCode() == 200 && response.body().contains("\"result\"")
                    && response.body().contains(taskId);
        });
        return new Result(name, r.ok(), r.failed(), r.seconds(), r.p50Ms(), r.p99Ms());
    }

    /** GET /.well-known/agent-card.json (no credentials: the public card), {@code requests} times. */
    static Result runCard(String name, String base, int requests, int concurrency) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/.well-known/agent-card.json")).GET().build();
        ClosedLoop.Run r = ClosedLoop.run(requests, concurrency, i -> {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"name\"");
        });
        return new Result(name, r.ok(), r.failed(), r.seconds(), r.p50Ms(), r.p99Ms());
    }

    static Result run(String name, String url, String auth, int requests, int concurrency) throws Exception {
        ClosedLoop.Run r = ClosedLoop.run(requests, concurrency, i -> {
            HttpResponse<String> response = send(url, auth);
            return response.statusCode() == 200 && response.body().contains("\"result\"");
        });
        return new Result(name, r.ok(), r.failed(), r.seconds(), r.p50Ms(), r.p99Ms());
    }
}
