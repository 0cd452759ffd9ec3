package run.codetether.bench.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.model.Usage;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.port.EventPublisher;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.provider.ModelInfo;
import run.codetether.agent.domain.session.InMemorySessionStore;
import run.codetether.agent.infra.kafka.AgentWorker;
import run.codetether.agent.infra.kafka.KafkaEventPublisher;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.platform.secrets.CachingSecretSource;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * {@code overhead [tasks] [steps]}: per-step orchestration time with a zero-latency model, in three set-ups.
 * {@code memory [tasks] [delaySeconds]}: heap per in-flight task while every task waits on a slow model.
 */
public final class AgentBench {
    private AgentBench() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "--help";
        switch (mode) {
            case "overhead" -> {
                stepTool = args.length > 3 ? args[3] : "list_dir";
                overhead(arg(args, 1, 100), arg(args, 2, 20));
            }
            case "memory" -> memory(arg(args, 1, 1000), arg(args, 2, 120));
            case "flood" -> FloodBench.run(arg(args, 1, 2000), arg(args, 2, 16), arg(args, 3, 20), arg(args, 4, 3));
            case "starts" -> StartsBench.run(arg(args, 1, 20), arg(args, 2, 64));
            case "encode" -> EncodeBench.run(arg(args, 1, 20), arg(args, 2, 5));
            case "model" -> ModelCallBench.run(arg(args, 1, 2000), arg(args, 2, 5), arg(args, 3, 20));
            default -> System.out.println("usage: AgentBench overhead [tasks=100] [steps=20] [tool=list_dir|write_file]"
                    + " | memory [tasks=1000] [delaySeconds=120] | flood [flood=2000] [slots=16] [modelMs=20] [rounds=3]"
                    + " | starts [waves=20] [at-once=64] | encode [tools=20] [rounds=5]"
                    + " | model [calls=2000] [rounds=5] [tools=20]");
        }
    }

    /**
     * The tool every step calls: list_dir is read-only (the loop does not wait for the assistant turn's save),
     * write_file changes the workspace (the loop waits for that save before the call runs).
     */
    static volatile String stepTool = "list_dir";

    /** As tools-service declares the bench's step tools: list_dir only reads, write_file changes the workspace. */
    static boolean stepToolReadOnly() {
        return !"write_file".equals(stepTool);
    }

    private static int arg(String[] a, int i, int d) {
        return a.length > i ? Integer.parseInt(a[i]) : d;
    }

    static Message user(String text) {
        return new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(text)), null, null, null, null, null);
    }

    static TaskCommand.StartTask start(String task, String ctx, String provider, String text) {
        return new TaskCommand.StartTask(task, ctx, null, user(text), provider, null, null, null, null, null, Map.of(),
                null);
    }

    /** A model that answers at once: a {@link #stepTool} call per step until {@code steps}, then text. */
    static ChatProvider instantModel(int steps) {
        return new ChatProvider() {
            @Override
            public ModelReply chat(ModelRequest r, Consumer<String> partial) {
                long done = r.messages().stream().filter(m -> m instanceof ChatMessage.Assistant).count();
                return done + 1 >= steps ? new ModelReply("finished", List.of(), new Usage(10, 2))
                        : new ModelReply("", List.of(new ToolCall("call-" + done, stepTool, "{\"path\":\".\"}")), new Usage(10, 2));
            }
        };
    }

    static ProviderResolver fixed(ChatProvider chat) {
        return (p, m) -> new ProviderResolver.Resolved("bench", "instant", new ModelInfo("bench", "instant", 1_000_000, 0, 0), chat);
    }

    static final ToolExecutor INSTANT_TOOLS = new ToolExecutor() {
        @Override
        public List<ToolSpec> list() {
            return List.of(new ToolSpec(stepTool, "A bench tool", "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}",
                    stepToolReadOnly(), false));
        }

        @Override
        public Outcome execute(String s, String c, String t, String a, Duration d) {
            return new Outcome(true, "a.txt\nb.txt", "", false, "");
        }
    };

    static final class Finals implements EventPublisher {
        final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        final AtomicInteger working = new AtomicInteger();

        @Override
        public void publish(TaskEvent e) {
            if (e instanceof TaskEvent.StatusChanged s) {
                if (s.isFinal()) {
                    CountDownLatch l = waiting.get(e.taskId());
                    if (l != null) {
                        l.countDown();
                    }
                } else if (s.progress().provider() != null) {
                    working.incrementAndGet();
                }
            }
        }
    }

    // ------------------------------------------------------------------ overhead

    static void overhead(int tasks, int steps) throws Exception {
        System.out.printf("per-step orchestration, %d tasks x %d steps of %s, zero-latency model, sequential%n", tasks,
                steps, stepTool);
        String parts = System.getProperty("bench.parts", "ABC");
        if (parts.contains("A")) {
            report("A in-process (loop only: model, tools, sessions, events in memory)", inProcess(tasks, steps), steps);
        }
        if (!parts.contains("B") && !parts.contains("C")) {
            return;
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4)) {
            if (parts.contains("B")) {
                report("B Kafka path (command -> worker -> loop -> Kafka sessions + events -> consumer), in-process model/tools",
                        kafkaPath(broker.bootstrapServers(), tasks, steps, false), steps);
            }
            if (parts.contains("C")) {
                report("C as B + LangChain4j over HTTP (OpenAI wire, scripted server) + tools over gRPC",
                        kafkaPath(broker.bootstrapServers(), tasks, steps, true), steps);
            }
        }
    }

    /** The whole process's CPU time so far (every thread: loop, producers, the embedded broker, the consumer). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static List<Long> inProcess(int tasks, int steps) {
        Finals events = new Finals();
        AgentLoop loop = new AgentLoop(AgentSettings.defaults("bench"), fixed(instantModel(steps)), INSTANT_TOOLS,
                CallRouter.DISABLED, events, new InMemorySessionStore(), TaskMetrics.NONE);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < tasks + tasks / 5; i++) {
            long t0 = System.nanoTime();
            loop.run(new TaskRun(start("t" + i, "c" + i, null, "go")));
            if (i >= tasks / 5) {
                out.add(System.nanoTime() - t0);
            }
        }
        return out;
    }

    static List<Long> kafkaPath(String bootstrap, int tasks, int steps, boolean wire) throws Exception {
        String topic = "tasks.requested.bench-" + UUID.randomUUID();
        EmbeddedKafkaBroker.class.getName();
        var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap));
        admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 4, (short) 1))).all().get();
        admin.close();
        KafkaSessionStore sessions = new KafkaSessionStore(bootstrap);
        KafkaEventPublisher publisher = new KafkaEventPublisher(bootstrap);
        ScriptedLlmServer llm = null;
        BenchTools benchTools = null;
        GrpcToolExecutor grpcTools = null;
        ProviderResolver resolver = fixed(instantModel(steps));
        ToolExecutor tools = INSTANT_TOOLS;
        if (wire) {
            llm = ScriptedLlmServer.start();
            llm.respondWith(r -> r.toolResults().size() + 1 >= steps ? Reply.text("finished")
                    : Reply.tools(Reply.call("call-" + r.toolResults().size(), stepTool, Map.of("path", "."))));
            Path secrets = Files.createTempFile("bench", ".json");
            resolver = new LangChain4jProviders(Map.of("local", ProviderSettings.defaults().withBaseUrl(llm.openAiBaseUrl())
                    .withModel("instant").withStreaming(false)), Optional.empty(), serviceSecrets(secrets), 0, Duration.ofSeconds(1));
            benchTools = new BenchTools();
            grpcTools = new GrpcToolExecutor("127.0.0.1", benchTools.port());
            tools = grpcTools;
        }
        AgentLoop loop = new AgentLoop(AgentSettings.defaults("bench"), resolver, tools, CallRouter.DISABLED, publisher,
                sessions, TaskMetrics.NONE);
        AgentWorker worker = new AgentWorker(bootstrap, topic, "bench-" + UUID.randomUUID(), "bench", loop, 16);
        worker.awaitReady(Duration.ofSeconds(30));
        List<Long> out = new ArrayList<>();
        try (Gateway gw = new Gateway(bootstrap, topic)) {
            long cpu0 = 0;
            long records0 = 0;
            long bytes0 = 0;
            Map<Long, ThreadCpu> threads0 = Map.of();
            for (int i = 0; i < tasks + tasks / 5; i++) {
                if (i == tasks / 5) {
                    cpu0 = processCpuNanos();
                    threads0 = ThreadCpu.snapshot();
                    records0 = gw.records;
                    bytes0 = gw.bytes;
                }
                String id = "t" + i + "-" + UUID.randomUUID();
                long t0 = System.nanoTime();
                gw.sendAndAwait(start(id, "c-" + id, wire ? "local" : null, "go"));
                if (i >= tasks / 5) {
                    out.add(System.nanoTime() - t0);
                }
            }
            // CPU per step of every thread of the process: less at the mercy of other processes' load than the time
            System.out.printf("    process cpu: %.3f ms a step%n", (processCpuNanos() - cpu0) / 1e6 / tasks / steps);
            System.out.printf("    tasks.events: %.2f records, %.0f bytes a step%n",
                    (gw.records - records0) / (double) tasks / steps, (gw.bytes - bytes0) / (double) tasks / steps);
            if (Boolean.getBoolean("bench.threads")) {
                ThreadCpu.print(threads0, ThreadCpu.snapshot(), tasks * steps);
            }
        } finally {
            worker.close();
            sessions.close();
            publisher.close();
            if (llm != null) {
                llm.close();
                grpcTools.close();
                benchTools.close();
            }
        }
        return out;
    }

    /**
     * One thread's CPU time ({@code -Dbench.threads=true}): the per-step CPU of each kind of thread (virtual threads'
     * carriers run the loop), which the load of other processes on the machine moves far less than the time.
     */
    record ThreadCpu(String group, long nanos) {
        static Map<Long, ThreadCpu> snapshot() {
            var mx = ManagementFactory.getThreadMXBean();
            Map<Long, ThreadCpu> out = new java.util.HashMap<>();
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null) {
                    long cpu = mx.getThreadCpuTime(info.getThreadId());
                    if (cpu > 0) {
                        String group = info.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*")
                                .replaceAll("\\d+", "N");
                        out.put(info.getThreadId(), new ThreadCpu(group, cpu));
                    }
                }
            }
            return out;
        }

        static void print(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, int steps) {
            Map<String, Long> byGroup = new java.util.TreeMap<>();
            after.forEach((id, t) -> byGroup.merge(t.group(), t.nanos() - (before.containsKey(id) ? before.get(id).nanos() : 0),
                    Long::sum));
            byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf("      thread cpu %7.3f ms a step  %s%n", e.getValue() / 1e6 / steps,
                            e.getKey()));
        }
    }

    /**
     * The secrets as the service reads them: the file behind the cache of {@code codetether.agent.secrets-cache-ttl}
     * (5 min by default, {@code ServiceSecrets.layered}). A bare file source read the file at every model call, a cost
     * the service does not have (issue 20: it was in C's per-step time since keys are read per call).
     */
    static SecretSource serviceSecrets(Path file) {
        return new CachingSecretSource(List.of(new FileSecretSource(file)), Duration.ofMinutes(5), java.time.Clock.systemUTC());
    }

    static void report(String name, List<Long> taskNanos, int steps) {
        List<Double> perStep = new ArrayList<>();
        taskNanos.forEach(n -> perStep.add(n / 1e6 / steps));
        Collections.sort(perStep);
        System.out.printf("  %s%n    per step: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  (n=%d tasks)%n", name,
                perStep.get(perStep.size() / 2), perStep.get((int) (perStep.size() * 0.9)),
                perStep.get(Math.min(perStep.size() - 1, (int) (perStep.size() * 0.99))), perStep.size());
    }

    // ------------------------------------------------------------------ memory

    static void memory(int tasks, int delaySeconds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SlowModelServer.class.getName(), Integer.toString(delaySeconds)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
        String line;
        int port = -1;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                port = Integer.parseInt(line.substring(5).trim());
                break;
            }
        }
        try {
            Path secrets = Files.createTempFile("bench", ".json");
            var resolver = new LangChain4jProviders(Map.of("local", ProviderSettings.defaults()
                    .withBaseUrl("http://127.0.0.1:" + port + "/openai/v1").withModel("slow")), Optional.empty(),
                    serviceSecrets(secrets), 0, Duration.ofSeconds(1));
            Finals events = new Finals();
            SessionStore sessions = new InMemorySessionStore();
            AgentLoop loop = new AgentLoop(AgentSettings.defaults("bench"), resolver, INSTANT_TOOLS, CallRouter.DISABLED,
                    events, sessions, TaskMetrics.NONE);
            TaskDispatcher dispatcher = new TaskDispatcher(loop, tasks + 100);
            for (int i = 0; i < 50; i++) { // warm the same path (class loading, JIT, HTTP client)
                CountDownLatch l = new CountDownLatch(1);
                events.waiting.put("w" + i, l);
                dispatcher.trySubmit(start("w" + i, "cw" + i, "local", "warmup"), () -> {});
                l.await();
            }
            events.working.set(0);
            long before = heapAfterGc();
            long rssBefore = rssKb();
            List<TaskRun> runs = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                runs.add(dispatcher.trySubmit(start("m" + i, "cm" + i, "local", "please think slowly"), () -> {}));
            }
            while (events.working.get() < tasks) {
                Thread.sleep(20);
            }
            Thread.sleep(3_000); // let every request reach the socket and the server
            long during = heapAfterGc();
            long rssDuring = rssKb();
            int inFlight = dispatcher.running().size();
            System.out.printf("memory per in-flight task, %d tasks waiting on a model that answers after %d s%n", tasks, delaySeconds);
            System.out.printf("  in flight: %d  heap before %.1f MB, during %.1f MB  => %.3f MB (%.0f KB) heap per task%n",
                    inFlight, before / 1e6, during / 1e6, (during - before) / 1e6 / tasks, (during - before) / 1e3 / tasks);
            System.out.printf("  process RSS before %.1f MB, during %.1f MB => %.3f MB per task (includes socket buffers, thread stacks)%n",
                    rssBefore / 1e3, rssDuring / 1e3, (rssDuring - rssBefore) / 1e3 / tasks);
            runs.forEach(r -> r.cancel("benchmark done"));
        } finally {
            server.getOutputStream().close();
            server.destroy();
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
