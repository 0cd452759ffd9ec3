package run.codetether.bench.fullpath;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bench's command line (see {@link #HELP}). */
record Options(Path root, Duration duration, Options.Warmup warmup, int wrkThreads, List<String> jvmOptions,
        Path runDir, List<String> rows, int hops, boolean count, Map<String, String> serviceEnv, int partitions,
        Map<String, String> brokerSettings, boolean help) {

    /** How the servers warm up before the rows ({@code --warmup}). */
    sealed interface Warmup {
        /** SendMessage c=64 for a fixed time ({@code --warmup SEC}). */
        record Fixed(Duration duration) implements Warmup {}

        /** Until every JVM's JIT is steady by the rule, within its minimum and cap ({@code --warmup auto}). */
        record Auto(WarmupRule rule) implements Warmup {}
    }

    /** The rows, by their {@code --rows} names, in the order they run. */
    static final List<String> ROWS = List.of("send8", "send64", "get", "card");

    /**
     * What {@code ./codetether up} gives each service (launcher {@code start_service}), less the heap, which is
     * per service: the bench measures the stack as a user runs it.
     */
    static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

    static final String HELP = """
            FullPathBench: the full A2A path under wrk, the packaged local stack beside the @a2a-js/sdk echo agent.

            Starts on free loopback ports (never 8080-8084/9092-9093), as ./codetether up does: the local Kafka broker
            (LocalKafkaMain), tools-, router-, agent-, swarm- and gateway-service (their packaged jars, the launcher's
            JVM options, profile local), a scripted model that answers "ok" at once (in this JVM), and the JS SDK's
            trivial echo agent (node). Then, each row first on the gateway and then on the JS agent, with wrk:
              SendMessage (blocking JSON-RPC, fresh messageId per request) at c=8 and c=64,
              GetTask of one completed task at c=64, GET /.well-known/agent-card.json at c=64,
            and CPU per completed task from /proc/<pid>/stat of every process, with the part of it its JIT
            compiler threads used (/proc/<pid>/task/*: "C1/C2 CompilerThread"). Prints a table, the ratio
            gateway / JS SDK per row, the issue-18 goals met or not, and one machine-readable line
            "FULLPATH-SUMMARY {json}". Needs wrk (apt-get install -y wrk) and node with @a2a-js/sdk 1.3.0 + express 5
            under bench/fullpath-bench/target/js (run.sh installs them).

            Options:
              --root DIR         repository root (default: the current directory)
              --duration SEC     seconds per measured row (default 20)
              --warmup auto|SEC  unmeasured SendMessage c=64 on each server before the rows (default auto).
                                 auto: on the gateway, 5 s wrk windows until the JIT compiler threads of every
                                 JVM (the broker, the five services, the bench JVM with the scripted model) used
                                 < 5 % of its CPU or < 10 ms/s in the last window, at least 10 s, at most 240 s
                                 (a warm-up that hits the cap says so; not a failure); the JS agent (node, no
                                 JIT threads to read) a fixed 10 s, its CPU per task printed per 5 s.
                                 SEC: a fixed warm-up of SEC seconds on each server (one wrk run each)
              --wrk-threads N    wrk threads (default 2: the goals are for a 2-core machine)
              --jvm-options STR  JVM options of every service instead of the launcher's
                                 (default "-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED": tiered, C1 then C2;
                                 add -XX:TieredStopAtLevel=1 for the launcher's CODETETHER_SERVICE_JIT=c1)
              --run-dir DIR      where logs, broker data and state go (default target/fullpath-run-<time>)
              --rows LIST        the rows to run, comma-separated from send8,send64,get,card (default all; the
                                 goals of rows left out are not judged; without a send row the warm-up is the
                                 first row's load)
              --hops N           instead of the rows: N blocking SendMessage at c=1, c=8 and c=64 (after N at
                                 c=8 unmeasured; rate and CPU per task of each), each task's timestamps joined
                                 along the path (records' CreateTime, the agent intake's and the gateway reader's
                                 DEBUG lines, the model's call, the client's send and reply), p50/p90 per hop
                                 printed as a table (issue 18); no JS agent, no wrk
              --count            also count what the broker does per task (issue 18): over JMX (attach API) from
                                 the broker, requests per API and records/bytes per topic, from each service's
                                 Kafka clients, requests, fetches, commits and heartbeats per client id; one table
                                 per gateway row (per task = per tasks.requested record, from the row's start to
                                 the end of its settling) and one per second with no traffic
              --env KEY=VALUE    one more environment variable of every service (repeatable), e.g.
                                 KAFKA_COMPRESSION_TYPE=none: a Kafka client setting tried without a rebuild
              --partitions N     partitions of the work topics the local broker creates (default 4, as
                                 ./codetether up: LocalKafkaMain's default)
              --broker KEY=VALUE one more setting of the local broker (repeatable), e.g. num.io.threads=2: a
                                 broker setting tried without a rebuild (LocalKafkaMain's
                                 -Dcodetether.kafka.broker.KEY=VALUE)
              --help             this text
            """;

    static Options parse(String[] args) {
        Path root = Path.of(".");
        Duration duration = Duration.ofSeconds(20);
        Warmup warmup = new Warmup.Auto(WarmupRule.DEFAULT);
        int threads = 2;
        List<String> jvm = LAUNCHER_JVM_OPTIONS;
        Path runDir = null;
        List<String> rows = ROWS;
        int hops = 0;
        boolean count = false;
        int partitions = 4;
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> broker = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--root" -> root = Path.of(value(args, ++i, a));
                case "--duration" -> duration = Duration.ofSeconds(positive(value(args, ++i, a), a));
                case "--warmup" -> warmup = warmup(value(args, ++i, a));
                case "--wrk-threads" -> threads = positive(value(args, ++i, a), a);
                case "--jvm-options" -> jvm = new ArrayList<>(Arrays.asList(value(args, ++i, a).trim().split("\\s+")));
                case "--run-dir" -> runDir = Path.of(value(args, ++i, a));
                case "--rows" -> rows = rows(value(args, ++i, a));
                case "--hops" -> hops = positive(value(args, ++i, a), a);
                case "--count" -> count = true;
                case "--partitions" -> partitions = positive(value(args, ++i, a), a);
                case "--env" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--env wants KEY=VALUE, got '" + kv + "'");
                    }
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--broker" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--broker wants KEY=VALUE, got '" + kv + "'");
                    }
                    broker.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (--help lists them)");
            }
        }
        root = root.toAbsolutePath().normalize();
        if (runDir == null) {
            runDir = root.resolve("bench/fullpath-bench/target/fullpath-run-"
                    + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
        }
        return new Options(root, duration, warmup, threads, List.copyOf(jvm), runDir.toAbsolutePath(), rows, hops,
                count, Map.copyOf(env), partitions, Map.copyOf(broker), help);
    }

    private static List<String> rows(String list) {
        List<String> named = Arrays.stream(list.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
        for (String r : named) {
            if (!ROWS.contains(r)) {
                throw new IllegalArgumentException("--rows: unknown row '" + r + "' (rows: " + String.join(",", ROWS)
                        + ")");
            }
        }
        if (named.isEmpty()) {
            throw new IllegalArgumentException("--rows names no row (rows: " + String.join(",", ROWS) + ")");
        }
        return ROWS.stream().filter(named::contains).toList();
    }

    private static Warmup warmup(String v) {
        if (v.equals("auto")) {
            return new Warmup.Auto(WarmupRule.DEFAULT);
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return new Warmup.Fixed(Duration.ofSeconds(n));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--warmup wants auto or a positive whole number of seconds, got '" + v
                + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value (--help lists the options)");
        }
        return args[i];
    }

    private static int positive(String v, String option) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " wants a positive whole number, got '" + v + "'");
    }
}
