package run.codetether.bench.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.ClosedLoop;
import run.codetether.bench.support.LoadAverage;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.ProcCpu;
import run.codetether.bench.support.Readiness;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;

/**
 * What one accepted task costs the gateway's CPU: {@link GatewayBench}'s non-blocking SendMessage against one or
 * more packaged builds (each a repository root with {@code gateway-service/target/quarkus-app}), interleaved round
 * by round, each run with its own fresh broker and store. CPU is the gateway JVM's user + system time from
 * {@code /proc} over the measured requests only (less sensitive to the shared machine's load than req/s), and
 * over an idle pause after them (what the gateway burns with nothing to do: readers, sweeps, flushes).
 *
 * <p>Args: {@code requests concurrency rounds root[,root...]}. Set {@code -Dbench.jfr=dir} to record each gateway
 * with JFR's profile settings into that directory, {@code -Dbench.ready-seconds=N} (default 120) for a gateway that
 * starts slowly on a loaded machine (39ec0bc took longer than 120 s with JFR at load 78), {@code -Dbench.reads=true}
 * to measure GetTask of one accepted task and the public agent card after the sends (req/s and CPU per request),
 * {@code -Dbench.idle-threads=true} to print where the idle window's CPU and wake-ups went ({@link IdleThreads}), and
 * {@code -Dbench.idle-seconds=N} (default 10) for a longer idle window, {@code -Dbench.idle-settle-seconds=N}
 * (default 2) to start it later (right after the sends, C2 compiling was three quarters of the idle CPU).
 */
public final class GatewayCpuBench {
    private static final String KEY = "bench-client:bench-key-0123456789";
    private static final Duration IDLE = Duration.ofSeconds(Long.getLong("bench.idle-seconds", 10));

    record Row(String root, int round, int ok, int failed, double reqPerSecond, double p50, double p99,
            double cpuUsPerRequest, double idleCpuMsPerSecond, String loadStart, String loadEnd, Reads reads) {
        @Override
        public String toString() {
            return String.format(
                    "%-26s round %d  ok=%d failed=%d  %4.0f req/s  p50 %6.2f ms  p99 %7.2f ms  CPU %5.0f us/req"
                            + "  idle %4.1f ms/s  load %s -> %s%s",
                    root, round, ok, failed, reqPerSecond, p50, p99, cpuUsPerRequest, idleCpuMsPerSecond, loadStart,
                    loadEnd, reads == null ? "" : "\n" + " ".repeat(28) + reads);
        }
    }

    /** GetTask of one accepted task and the public agent card, each {@code requests} times after a warm-up. */
    record Reads(int failed, double getTaskPerSecond, double getTaskCpuUs, double cardPerSecond, double cardCpuUs,
            String loadEnd) {
        @Override
        public String toString() {
            return String.format("reads failed=%d  GetTask %5.0f req/s CPU %4.0f us/req  card %5.0f req/s CPU %4.0f"
                    + " us/req  load -> %s", failed, getTaskPerSecond, getTaskCpuUs, cardPerSecond, cardCpuUs, loadEnd);
        }
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<Path> roots = new ArrayList<>();
        for (String r : args[3].split(",")) {
            roots.add(Path.of(r).toAbsolutePath().normalize());
        }
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Path root : roots) {
                Row row = once(root, round, requests, concurrency);
                System.out.println(row);
                rows.add(row);
            }
        }
        System.out.printf("%nSendMessage (returnImmediately) x %d, concurrency %d, after %d warm-up%n", requests,
                concurrency, requests / 5);
        rows.forEach(System.out::println);
    }

    /** Whether the packaged gateway's config class {@code name} exists and mentions {@code member}. */
    static boolean hasConfig(Path root, String name, String member) throws IOException {
        Path app = root.resolve("gateway-service/target/quarkus-app/app");
        try (var jars = Files.list(app)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry e = zip.getEntry("run/codetether/gateway/config/" + name + ".class");
                    if (e != null) {
                        try (var in = zip.getInputStream(e)) {
                            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(member);
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The reads after the sends ({@code -Dbench.reads=true}): GetTask of one accepted task, then the card. */
    static Reads reads(Children.Child gw, String url, int port, int requests, int concurrency) throws Exception {
        String auth = "Bearer bench-key-0123456789";
        String taskId = GatewayBench.acceptedTaskId(url, auth);
        String base = "http://127.0.0.1:" + port;
        GatewayBench.runGetTask("warm-up", url, auth, taskId, requests / 5, concurrency);
        GatewayBench.runCard("warm-up", base, requests / 5, concurrency);
        double c0 = ProcCpu.millis(gw.pid());
        GatewayBench.Result get = GatewayBench.runGetTask("GetTask", url, auth, taskId, requests, concurrency);
        double c1 = ProcCpu.millis(gw.pid());
        GatewayBench.Result card = GatewayBench.runCard("card", base, requests, concurrency);
        double c2 = ProcCpu.millis(gw.pid());
        return new Reads(get.failed() + card.failed(), get.ok() / get.seconds(), (c1 - c0) * 1000.0 / requests,
                card.ok() / card.seconds(), (c2 - c1) * 1000.0 / requests, LoadAverage.triple());
    }

    static Row once(Path root, int round, int requests, int concurrency) throws Exception {
        Path store = Files.createTempDirectory("gw-cpu-store");
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath() + "/"
                    + root.getFileName() + "-r" + round + ".jfr,settings=profile");
        }
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4);
                Children children = new Children(Path.of("target", "cpu-" + root.getFileName() + "-" + round))) {
            int port = Ports.freeLoopbackPort();
            Map<String, String> props = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "codetether.gateway.auth.api-keys", KEY,
                    "codetether.gateway.rate-limit.requests-per-second", "0",
                    "codetether.gateway.instance-id", "bench", "quarkus.log.level", "WARN"));
            // an older build refuses settings it does not know (Quarkus validates every codetether.* key)
            if (hasConfig(root, "GatewayConfig$Limits", "maxInFlight")) {
                // no worker runs: every task stays submitted; the bench measures the front door, not admission
                props.put("codetether.gateway.limits.max-in-flight-per-client", "0");
                props.put("codetether.gateway.limits.max-in-flight", "0");
            }
            if (hasConfig(root, "GatewayConfig$Store", "dir")) {
                props.put("codetether.gateway.store.dir", store.toString());
            }
            Children.Child gw = children.quarkusJar(root, "gateway-service", "gateway", port, jvm, props, Map.of());
            String url = "http://127.0.0.1:" + port + "/a2a";
            Readiness.awaitHealthReady(gw, port, Duration.ofSeconds(Long.getLong("bench.ready-seconds", 120)));
            GatewayBench.run("warm-up", url, "Bearer bench-key-0123456789", requests / 5, concurrency);
            String loadStart = LoadAverage.triple();
            double cpu0 = ProcCpu.millis(gw.pid());
            GatewayBench.Result r = GatewayBench.run("measured", url, "Bearer bench-key-0123456789", requests,
                    concurrency);
            double cpu1 = ProcCpu.millis(gw.pid());
            String loadEnd = LoadAverage.triple();
            IdleThreads threads = Boolean.getBoolean("bench.idle-threads") ? new IdleThreads(gw.pid()) : null;
            // the tail of the run (flushes, folds) is not idle time; the JIT compiles for tens of seconds after
            Thread.sleep(Long.getLong("bench.idle-settle-seconds", 2) * 1000);
            if (threads != null) {
                threads.start();
            }
            double idle0 = ProcCpu.millis(gw.pid());
            Thread.sleep(IDLE.toMillis());
            double idle1 = ProcCpu.millis(gw.pid());
            if (threads != null) {
                System.out.print(root.getFileName() + " round " + round + ", idle:\n" + threads.report());
                threads.close();
            }
            Reads reads = Boolean.getBoolean("bench.reads") ? reads(gw, url, port, requests, concurrency) : null;
            return new Row(root.getFileName().toString(), round, r.ok(), r.failed(), r.ok() / r.seconds(), r.p50(),
                    r.p99(), (cpu1 - cpu0) * 1000.0 / requests, (idle1 - idle0) / IDLE.toSeconds(), loadStart,
                    loadEnd, reads);
        }
    }
}
