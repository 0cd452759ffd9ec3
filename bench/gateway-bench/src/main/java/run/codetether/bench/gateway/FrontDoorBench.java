package run.codetether.bench.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.LoadAverage;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.ProcCpu;
import run.codetether.bench.support.Readiness;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * Issue 18's front-door goal (GetTask and the agent card at >= 3x the JS SDK agent), measured in one window: one
 * or more packaged gateways (each a repository root with {@code gateway-service/target/quarkus-app}, e.g. main and
 * a branch) and the {@code @a2a-js/sdk} server side by side, each row run on every server in turn, round by round,
 * so a change of the shared machine's load hits every side of a ratio alike. The load is wrk (C, a few percent of
 * the JVM client's CPU per request), the same request bytes every time.
 *
 * <p>Rows: JSON-RPC {@code GetTask} (A2A 1.0), JSON-RPC {@code tasks/get} (0.3), HTTP+JSON {@code GET /tasks/{id}},
 * and {@code GET /.well-known/agent-card.json}. Each gateway reads one task it accepted (API key auth on, as
 * deployed); the JS server one of its own (no auth: the SDK has none by default). Per row and side: req/s, p50,
 * p99 and the server process's CPU (user + system from {@code /proc}) per request.
 *
 * <p>Args: {@code seconds connections rounds root[,root...]} (defaults 10 32 2 ../..). {@code -Dbench.jfr=dir}
 * records every gateway with JFR's profile settings; {@code -Dbench.rows=get10,get03,rest,card} picks rows.
 */
public final class FrontDoorBench {
    private static final String KEY = "bench-client:bench-key-0123456789";
    private static final String AUTH = "Bearer bench-key-0123456789";

    /** One server: a gateway build or the JS SDK agent, and what its reads target. */
    record Side(String name, Children.Child process, String base, String rpcUrl, String restTask, String taskId,
            String auth) {}

    /** One measured row on one side. */
    record Result(String row, String side, int round, long completed, long failed, double perSecond, double p50Ms,
            double p99Ms, double cpuUsPerRequest, String load) {
        @Override
        public String toString() {
            return String.format("%-6s %-22s r%d  %6.0f req/s  p50 %6.2f ms  p99 %7.2f ms  CPU %5.0f us/req"
                    + "  ok=%d failed=%d  load %s", row, side, round, perSecond, p50Ms, p99Ms, cpuUsPerRequest,
                    completed, failed, load);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Path> roots = new ArrayList<>();
        for (String r : (args.length > 3 ? args[3] : System.getProperty("bench.root", "../..")).split(",")) {
            roots.add(Path.of(r).toAbsolutePath().normalize());
        }
        List<String> rows = List.of(System.getProperty("bench.rows", "get10,get03,rest,card").split(","));
        Path bench = Path.of(System.getProperty("bench.root", "../..")).resolve("bench/gateway-bench");
        Path js = bench.resolve("target/js");
        if (!Files.isDirectory(js.resolve("node_modules/@a2a-js/sdk"))) {
            throw new IllegalStateException("missing " + js + "/node_modules: see bench/gateway-bench/README.md");
        }
        // the server as this checkout has it (a copy left in target/js by an earlier run may be older)
        Files.copy(bench.resolve("js/js-server.mjs"), js.resolve("js-server.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path work = Path.of("target", "frontdoor");
        Files.createDirectories(work);
        Path script = work.resolve("reads.lua");
        try (InputStream in = FrontDoorBench.class.getResourceAsStream("/frontdoor/reads.lua")) {
            if (in == null) {
                throw new IllegalStateException("frontdoor/reads.lua is not on the classpath: rebuild the bench");
            }
            Files.write(script, in.readAllBytes());
        }
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4);
                Children children = new Children(work)) {
            List<Side> sides = new ArrayList<>();
            for (int i = 0; i < roots.size(); i++) {
                sides.add(gateway(children, kafka, roots.get(i), i));
            }
            sides.add(jsSide(children, js));
            System.out.printf("front door reads: wrk -c %d, %d s per row and side after a %d s warm-up, %d round(s);"
                    + " load at start %s%n", connections, seconds, Math.max(2, seconds / 2), rounds,
                    LoadAverage.triple());
            for (Side s : sides) {
                for (String row : rows) {
                    wrk(script, s, row, connections, Math.max(2, seconds / 2)); // JIT warm-up of every path
                }
            }
            List<Result> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (String row : rows) {
                    for (Side s : sides) {
                        double c0 = ProcCpu.millis(s.process().pid());
                        long[] r = wrk(script, s, row, connections, seconds);
                        double c1 = ProcCpu.millis(s.process().pid());
                        Result res = new Result(row, s.name(), round, r[0], r[1], r[0] * 1e6 / r[2], r[3] / 1000.0,
                                r[4] / 1000.0, r[0] == 0 ? 0 : (c1 - c0) * 1000.0 / r[0], LoadAverage.triple());
                        System.out.println(res);
                        results.add(res);
                    }
                }
            }
            summary(results, sides, rows);
        }
    }

    /** Ratio of each gateway to the JS agent per row: mean req/s over the rounds, side by side. */
    static void summary(List<Result> results, List<Side> sides, List<String> rows) {
        String jsName = sides.get(sides.size() - 1).name();
        System.out.println();
        System.out.println("| row | side | req/s (mean of rounds) | CPU us/req | ratio to JS SDK |");
        System.out.println("|---|---|---|---|---|");
        for (String row : rows) {
            Map<String, double[]> sums = new LinkedHashMap<>();
            for (Result r : results) {
                if (r.row().equals(row)) {
                    double[] s = sums.computeIfAbsent(r.side(), k -> new double[3]);
                    s[0] += r.perSecond();
                    s[1] += r.cpuUsPerRequest();
                    s[2]++;
                }
            }
            double jsRate = sums.get(jsName)[0] / sums.get(jsName)[2];
            sums.forEach((side, s) -> System.out.printf("| %s | %s | %.0f | %.0f | %.2fx |%n", row, side,
                    s[0] / s[2], s[1] / s[2], s[0] / s[2] / jsRate));
        }
    }

    static Side gateway(Children children, EmbeddedKafkaBroker kafka, Path root, int index) throws Exception {
        String name = "gateway " + root.getFileName() + (index == 0 ? "" : "#" + index);
        Path store = Files.createTempDirectory("gw-frontdoor-store");
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath() + "/frontdoor-"
                    + root.getFileName() + "-" + index + ".jfr,settings=profile");
        }
        int port = Ports.freeLoopbackPort();
        Map<String, String> props = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "codetether.gateway.auth.api-keys", KEY, "codetether.gateway.rate-limit.requests-per-second", "0",
                "codetether.gateway.instance-id", "frontdoor-" + index, "quarkus.log.level", "WARN",
                "codetether.gateway.store.dir", store.toString()));
        Children.Child gw = children.quarkusJar(root, "gateway-service", "gateway-" + index, port, jvm, props,
                Map.of());
        Readiness.awaitHealthReady(gw, port, Duration.ofSeconds(Long.getLong("bench.ready-seconds", 180)));
        String base = "http://127.0.0.1:" + port;
        String task = acceptedTaskId(base + "/a2a", AUTH);
        return new Side(name, gw, base, base + "/a2a", base + "/tasks/" + task, task, AUTH);
    }

    /** The first send may meet a broker still busy on a loaded machine (-31004, retryable): tried up to 5 times. */
    static String acceptedTaskId(String url, String auth) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return GatewayBench.acceptedTaskId(url, auth);
            } catch (IllegalStateException e) {
                if (attempt == 5 || !e.getMessage().contains("-31004")) {
                    throw e;
                }
                Thread.sleep(3000);
            }
        }
    }

    static Side jsSide(Children children, Path js) throws Exception {
        int port = Ports.freeLoopbackPort();
        Children.Child node = children.start("js-server", List.of("node", "js-server.mjs", String.valueOf(port)),
                Map.of(), js);
        Readiness.awaitLogLine(node, "js-a2a ready", Duration.ofSeconds(90));
        String base = "http://127.0.0.1:" + port;
        String task = GatewayBench.acceptedTaskId(base + "/a2a", null);
        return new Side("@a2a-js/sdk 1.3.0", node, base, base + "/a2a", base + "/rest/tasks/" + task, task, null);
    }

    /** One wrk run of {@code row} against {@code side}: completed, failed, duration (us), p50 (us), p99 (us). */
    static long[] wrk(Path script, Side side, String row, int connections, int seconds) {
        String url = switch (row) {
            case "get10", "get03" -> side.rpcUrl();
            case "rest" -> side.restTask();
            case "card" -> side.base() + "/.well-known/agent-card.json";
            default -> throw new IllegalArgumentException("unknown row " + row + " (get10, get03, rest, card)");
        };
        String expect = row.equals("card") ? "\"name\"" : side.taskId();
        List<String> cmd = List.of("wrk", "-t", "2", "-c", String.valueOf(connections), "-d", seconds + "s",
                "--timeout", "30s", "-s", script.toString(), url, "--", row, expect, side.taskId(),
                row.equals("card") || side.auth() == null ? "-" : side.auth());
        String out;
        int exit;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not finish: " + String.join(" ", cmd));
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wrk (apt-get install -y wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while wrk ran", e);
        }
        String line = out.lines().filter(l -> l.startsWith("FRONTDOOR-RESULT ")).findFirst().orElse(null);
        if (exit != 0 || line == null) {
            throw new IllegalStateException("wrk failed (exit " + exit + "): " + String.join(" ", cmd) + "\n" + out);
        }
        Map<String, Long> v = new HashMap<>();
        for (String kv : line.substring("FRONTDOOR-RESULT ".length()).trim().split(" ")) {
            int eq = kv.indexOf('=');
            v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        if (v.get("completed") == 0 || v.get("failed") > 0) {
            // a wrong answer is not a fast one: the bench stops with what the server said
            String sample = out.lines().filter(l -> l.startsWith("FRONTDOOR-SAMPLE-FAILURE ")).findFirst()
                    .orElse("(no sample)");
            throw new IllegalStateException(row + " on " + side.name() + ": " + v.get("failed")
                    + " bad answers of " + (v.get("completed") + v.get("failed")) + ": " + sample);
        }
        return new long[] {v.get("completed"), v.get("failed"), v.get("duration_us"), v.get("p50_us"),
                v.get("p99_us")};
    }
}
