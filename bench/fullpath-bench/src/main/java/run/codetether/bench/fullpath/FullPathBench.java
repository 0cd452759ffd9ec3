package run.codetether.bench.fullpath;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.LoadAverage;
import run.codetether.bench.support.ProcCpu;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 18's benchmark, as a user would measure it: wrk against the packaged local stack (a scripted model that
 * answers at once) beside the @a2a-js/sdk echo agent, in one run; see {@link Options#HELP}. Each row runs on the
 * gateway and then on the JS agent, so a change of the shared machine's load hits both sides of a ratio alike.
 */
public final class FullPathBench {
    private FullPathBench() {}

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fullpath-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.print(Options.HELP);
            return;
        }
        try {
            run(o);
        } catch (IllegalStateException | UncheckedIOException e) {
            System.err.println("fullpath-bench: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(Options o) {
        Wrk wrk = new Wrk(o.runDir(), o.wrkThreads());
        executable("node", "node is not installed (apt-get install -y nodejs)");
        double loadStart = LoadAverage.oneMinute();
        System.out.printf("fullpath-bench: run dir %s (logs under logs/), load average %s%n", o.runDir(),
                LoadAverage.triple());
        List<Row> rows = new ArrayList<>();
        List<WarmupRun.Result> warmups = new ArrayList<>();
        Map<String, Double> idleMs = new LinkedHashMap<>();
        Map<String, Double> idleAfterMs = new LinkedHashMap<>();
        Map<String, ResidentMemory.Resident> memory = new LinkedHashMap<>();
        long started = System.nanoTime();
        List<String> countTables = new ArrayList<>();
        KafkaCounts counts = null;
        try (Children children = new Children(o.runDir().resolve("logs"));
                ScriptedLlmServer model = ScriptedLlmServer.start()) {
            model.keepRequests(false).respondWith(request -> Reply.text("ok"));
            LocalStack stack = LocalStack.start(o, children, model.openAiBaseUrl());
            if (o.hops() > 0) {
                System.out.printf("fullpath-bench: stack ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
                Hops.run(stack, model, children.logDir(), o.hops());
                System.out.printf("fullpath-bench: load average at the end %s%n", LoadAverage.triple());
                return;
            }
            JsSdkAgent js = JsSdkAgent.start(o.root(), children);
            System.out.printf("fullpath-bench: stack and JS agent ready in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            Server gateway = new Server("gateway", stack.gatewayUrl(),
                    stack.gatewayUrl() + ".well-known/agent-card.json", stack.pids());
            Server jsSdk = new Server("js-sdk", js.url(), js.cardUrl(), Map.of("node", js.pid()));
            Map<Server, String> tasks = new LinkedHashMap<>();
            for (Server s : List.of(gateway, jsSdk)) {
                tasks.put(s, s.completedTaskId());
            }
            if (o.count()) {
                counts = new KafkaCounts(stack.pids(), "kafka");
            }
            KafkaCounts.Snapshot idleBefore = counts == null ? null : counts.take();
            long idleStart = System.nanoTime();
            idleMs.putAll(idleCpu(gateway, jsSdk));
            if (counts != null) {
                countTables.add(KafkaCounts.table("no traffic (per task: n/a)", counts.take().since(idleBefore),
                        (System.nanoTime() - idleStart) / 1e9));
            }
            String nonce = UUID.randomUUID().toString().substring(0, 8);
            record Spec(String name, String label, String mode, int connections) {}
            List<Spec> specs = Stream.of(new Spec("send8", "SendMessage c=8", "send", 8),
                    new Spec("send64", "SendMessage c=64", "send", 64), new Spec("get", "GetTask c=64", "get", 64),
                    new Spec("card", "agent card c=64", "card", 64))
                    .filter(spec -> o.rows().contains(spec.name())).toList();
            // the warm-up is SendMessage when a row sends (it loads every service), else the first row's own load
            Spec warm = specs.stream().filter(spec -> spec.mode().equals("send")).findFirst().orElse(specs.get(0));
            for (Server s : List.of(gateway, jsSdk)) {
                System.out.printf("fullpath-bench: warm-up %s, %s%n", s.name(), warm.label());
                warmups.add(WarmupRun.run(o.warmup(), wrk, s, warm.mode().equals("card") ? s.cardUrl() : s.url(),
                        load(warm.mode(), tasks.get(s)), nonce + "-w"));
                settle(s);
            }
            int n = 0;
            for (Spec spec : specs) {
                for (Server s : List.of(gateway, jsSdk)) {
                    Wrk.Load load = load(spec.mode(), tasks.get(s));
                    String url = spec.mode().equals("card") ? s.cardUrl() : s.url();
                    KafkaCounts.Snapshot before = counts != null && s == gateway ? counts.take() : null;
                    long rowStart = System.nanoTime();
                    Row row = measure(wrk, s, spec.label(), url, load, spec.connections(), o.duration(),
                            nonce + "-" + n++);
                    System.out.println(Report.line(row));
                    rows.add(row);
                    settle(s);
                    if (before != null) {
                        String t = KafkaCounts.table(spec.label(), counts.take().since(before),
                                (System.nanoTime() - rowStart) / 1e9);
                        System.out.print(t);
                        countTables.add(t);
                    }
                }
            }
            // the same window once the rows warmed every JVM (the first one's JIT and start-up work are over)
            KafkaCounts.Snapshot idleAfterBefore = counts == null ? null : counts.take();
            long idleAfterStart = System.nanoTime();
            idleAfterMs.putAll(idleCpu(gateway, jsSdk));
            memory.putAll(ResidentMemory.PROC.read(stack.pids()));
            memory.putAll(ResidentMemory.PROC.read(jsSdk.pids()));
            if (counts != null) {
                countTables.add(KafkaCounts.table("no traffic after the rows (per task: n/a)",
                        counts.take().since(idleAfterBefore), (System.nanoTime() - idleAfterStart) / 1e9));
            }
        } finally {
            if (counts != null) {
                counts.close();
            }
        }
        countTables.forEach(System.out::print);
        Report.print(o, rows, warmups, idleMs, idleAfterMs, memory, loadStart, LoadAverage.oneMinute(),
                (System.nanoTime() - started) / 1e9);
    }

    /** What wrk sends and how it tells a good answer, per mode (GetTask reads the server's completed task). */
    private static Wrk.Load load(String mode, String completedTask) {
        return switch (mode) {
            case "send" -> new Wrk.Load("send", Server.COMPLETED, null);
            case "get" -> new Wrk.Load("get", "\"result\"", completedTask);
            default -> new Wrk.Load("card", "\"name\"", null);
        };
    }

    /** How many idle windows were measured (the first is before the rows). */
    private static int idleWindows;

    /**
     * CPU milliseconds per second of every process with no traffic (10 s, after the first task of each server):
     * poll loops, heartbeats and periodic work cost this whatever the load, and at a low task rate it is a large
     * part of the CPU per task. Prints each process's wake-ups per second in the window ({@link Wakeups}).
     */
    private static Map<String, Double> idleCpu(Server... servers) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Server s : servers) {
            pids.putAll(s.pids());
            settle(s);
        }
        ProcCpu.Snapshot before = ProcCpu.snapshot(pids);
        Map<String, Long> wakeups = Wakeups.snapshot(pids);
        long t0 = System.nanoTime();
        try {
            Thread.sleep(Duration.ofSeconds(10)); // the measurement window itself, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> perSecond = new LinkedHashMap<>();
        ProcCpu.snapshot(pids).since(before).forEach((name, ms) -> perSecond.put(name, ms / seconds));
        System.out.println(Wakeups.line("no traffic, " + (idleWindows++ == 0 ? "before" : "after") + " the rows",
                Wakeups.perSecond(wakeups, Wakeups.snapshot(pids), seconds)));
        return perSecond;
    }

    /**
     * One wrk run with the CPU of every process of the server, the bench JVM and wrk around it, and the JIT
     * compiler threads' part of it per process (the bench JVM's too).
     */
    private static Row measure(Wrk wrk, Server s, String label, String url, Wrk.Load load, int connections,
            Duration duration, String nonce) {
        long self = ProcessHandle.current().pid();
        Map<String, Long> withModel = new LinkedHashMap<>(s.pids());
        withModel.put(Row.MODEL, self);
        double loadBefore = LoadAverage.oneMinute();
        ProcCpu.Snapshot before = ProcCpu.snapshot(s.pids());
        JitCpu.Snapshot jitBefore = JitCpu.PROC.snapshot(withModel);
        double selfBefore = ProcCpu.selfMillis();
        double reapedBefore = ProcCpu.reapedChildrenMillis(self);
        Wrk.Result r = wrk.run(url, load, connections, duration, nonce);
        ProcCpu.Snapshot after = ProcCpu.snapshot(s.pids());
        Map<String, JitCpu.Jit> jit = JitCpu.PROC.snapshot(withModel).since(jitBefore);
        double modelMs = ProcCpu.selfMillis() - selfBefore;
        double wrkMs = ProcCpu.reapedChildrenMillis(self) - reapedBefore;
        return new Row(label, connections, s, r, after.since(before), jit, modelMs, wrkMs, loadBefore,
                LoadAverage.oneMinute());
    }

    /**
     * Waits until the server has finished what the last row left behind: wrk abandons its open requests when a row
     * ends and their tasks run on, which would otherwise be charged to the next row. The gateway says how many
     * tasks are still submitted or working (ListTasks): until none are, or the number has not gone down for 15 s
     * (a task that never finishes, e.g. a start that failed under load and left it submitted: printed, see the
     * gateway's log). For a server that cannot say, until its processes are nearly idle (under 10 % of one core
     * over half a second). At most 120 s; says so when a backlog remains.
     */
    private static void settle(Server s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        ProcCpu.Snapshot last = ProcCpu.snapshot(s.pids());
        long lowest = Long.MAX_VALUE;
        long lowestSince = System.nanoTime();
        try {
            while (System.nanoTime() < deadline) {
                OptionalLong open = s.openTasks();
                if (open.isPresent()) {
                    if (open.getAsLong() == 0) {
                        return;
                    }
                    if (open.getAsLong() < lowest) {
                        lowest = open.getAsLong();
                        lowestSince = System.nanoTime();
                    } else if (System.nanoTime() - lowestSince > Duration.ofSeconds(15).toNanos()) {
                        System.out.printf("fullpath-bench: %s: %d task(s) stay submitted or working (see its log)%n",
                                s.name(), lowest);
                        return;
                    }
                }
                Thread.sleep(500);
                ProcCpu.Snapshot now = ProcCpu.snapshot(s.pids());
                double used = now.since(last).values().stream().mapToDouble(Double::doubleValue).sum();
                last = now;
                if (open.isEmpty() && used < 50) {
                    return;
                }
            }
            System.out.printf("fullpath-bench: %s still busy 120 s after the row: the next row starts with a backlog%n",
                    s.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The path of an executable on PATH, or a failure that says how to install it. */
    static String executable(String name, String missing) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(missing);
    }
}
