package run.codetether.bench.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * {@code model [calls=2000] [rounds=5] [tools=20]}: CPU per model call through the agent's real provider path
 * ({@code LangChain4jProviders}, provider {@code local}: LangChain4j's OpenAI client, streamed, over the agent's HTTP
 * transport) against the scripted model on loopback, which answers "ok" as one SSE chunk at once. The request is a
 * full path task's: a ~3 KB system prompt, one user message and {@code tools} tools. Calls run one after another on
 * this thread; "client" is the CPU of this thread plus the HTTP client's own threads (named {@code HttpClient-*}),
 * i.e. what the agent spends per call; "server" is the scripted server's threads (its dispatcher and its handlers'
 * threads), with their user CPU and bytes allocated; "process" is the whole JVM (both, plus GC and JIT).
 */
final class ModelCallBench {
    private ModelCallBench() {}

    static void run(int calls, int rounds, int tools) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            llm.keepRequests(false).respondWith(r -> Reply.text("ok"));
            Path secrets = Files.createTempFile("bench", ".json");
            var resolver = new LangChain4jProviders(Map.of("local", ProviderSettings.defaults()
                    .withBaseUrl(llm.openAiBaseUrl()).withModel("instant")), Optional.empty(),
                    AgentBench.serviceSecrets(secrets), 0, Duration.ofSeconds(1));
            ChatProvider chat = resolver.resolve("local", "instant").chat();
            ModelRequest request = new ModelRequest("instant", "You are CodeTether's agent. ".repeat(110),
                    List.of(new ChatMessage.User("say ok")), catalog(tools));
            StringBuilder partial = new StringBuilder();
            ModelReply first = chat.chat(request, partial::append);
            if (!"ok".equals(first.text()) || !"ok".contentEquals(partial)) {
                throw new IllegalStateException("the scripted model's answer did not come back: " + first.text());
            }
            for (int i = 0; i < calls; i++) { // warm-up: class loading, JIT, the connection pool
                chat.chat(request, p -> {});
            }
            System.out.printf(Locale.ROOT, "model calls: %d per round, %d tools, streamed; load %s%n", calls, tools,
                    FloodBench.load());
            for (int r = 0; r < rounds; r++) {
                Map<Long, Long> t0 = threads(mx);
                Map<Long, Long> s0 = serverThreads(mx);
                long[] sx0 = serverUserAndAlloc(mx, s0.keySet());
                long p0 = processCpu();
                long w0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    ModelReply reply = chat.chat(request, p -> {});
                    if (reply.text().isEmpty()) {
                        throw new IllegalStateException("empty answer");
                    }
                }
                long wall = System.nanoTime() - w0;
                long process = processCpu() - p0;
                long client = clientCpu(mx, t0, threads(mx));
                Map<Long, Long> s1 = serverThreads(mx);
                long server = clientCpu(mx, s0, s1);
                long[] sx1 = serverUserAndAlloc(mx, s1.keySet());
                System.out.printf(Locale.ROOT, "round %d: client %.1f us CPU per call, server %.1f us (user %.1f us,"
                        + " %d bytes allocated), process %.1f us, wall %.1f us (load %s)%n", r + 1,
                        client / 1_000.0 / calls, server / 1_000.0 / calls, (sx1[0] - sx0[0]) / 1_000.0 / calls,
                        (sx1[1] - sx0[1]) / calls, process / 1_000.0 / calls, wall / 1_000.0 / calls, FloodBench.load());
            }
        }
    }

    private static List<ToolSpec> catalog(int tools) {
        List<ToolSpec> out = new ArrayList<>();
        for (int t = 0; t < tools; t++) {
            StringBuilder props = new StringBuilder();
            for (String p : List.of("path", "offset", "limit", "pattern")) {
                props.append(props.isEmpty() ? "" : ",").append('"').append(p).append("\":{\"type\":\"")
                        .append(p.equals("offset") || p.equals("limit") ? "integer" : "string")
                        .append("\",\"description\":\"The ").append(p).append(" of tool_").append(t)
                        .append(": what it selects, its unit and default, as a model needs to call it right.\"}");
            }
            out.add(ToolSpec.readOnly("tool_" + t, "Tool " + t + " does one thing in the workspace; a sentence or two"
                    + " on when to use it and what it returns.",
                    "{\"type\":\"object\",\"properties\":{" + props + "},\"required\":[\"path\"]}"));
        }
        return out;
    }

    /** CPU of the HTTP client's threads (named HttpClient-*) and this thread, by thread id. */
    private static Map<Long, Long> threads(ThreadMXBean mx) {
        Map<Long, Long> out = new HashMap<>();
        long self = Thread.currentThread().threadId();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && (info.getThreadId() == self || info.getThreadName().startsWith("HttpClient"))) {
                out.put(info.getThreadId(), mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return out;
    }

    /**
     * CPU of the scripted server's threads: the JDK server's dispatcher and its handlers' threads (its own pool,
     * {@code scripted-llm-*}, or, for an older fixture, the carriers of the virtual threads they ran on; the client
     * runs on its own platform threads, so no carrier does client work).
     */
    private static Map<Long, Long> serverThreads(ThreadMXBean mx) {
        Map<Long, Long> out = new HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("HTTP-Dispatcher")
                    || info.getThreadName().startsWith("scripted-llm-")
                    || info.getThreadName().startsWith("ForkJoinPool"))) {
                out.put(info.getThreadId(), mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return out;
    }

    /**
     * User CPU and bytes allocated of the given server threads (one that started within a round counts from zero;
     * one that ended within it is missed, which the pools of a serial run do not do).
     */
    private static long[] serverUserAndAlloc(ThreadMXBean mx, java.util.Set<Long> ids) {
        long user = 0;
        long alloc = 0;
        for (long id : ids) {
            user += Math.max(0, mx.getThreadUserTime(id));
            alloc += Math.max(0, ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(id));
        }
        return new long[] {user, alloc};
    }

    private static long clientCpu(ThreadMXBean mx, Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (var e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
