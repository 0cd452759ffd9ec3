package run.codetether.bench.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.Function;
import dev.langchain4j.model.openai.internal.chat.Tool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code encode [tools=20] [rounds=5]}: CPU per OpenAI request body, LangChain4j's mapper as the agent sets it up
 * (compact, each distinct tool encoded once: {@code OpenAiWireJson}/{@code ToolJsonOnce}) against the same mapper
 * settings without the tool cache (what main wrote before, byte for byte the same body). Each request is built fresh,
 * as the client builds one per model call (new Tool objects and maps; the strings shared, as the cached tool
 * specifications' are): a system prompt of ~3 KB, one user
 * message and {@code tools} tools of four parameters each. Rounds alternate between the two, CPU time of this
 * thread per encoding.
 */
final class EncodeBench {
    private static final int PER_ROUND = 2_000;

    private EncodeBench() {}

    static void run(int tools, int rounds) throws Exception {
        Class<?> wire = Class.forName("run.codetether.agent.infra.llm.OpenAiWireJson");
        Method compact = wire.getDeclaredMethod("compact");
        compact.setAccessible(true);
        if (!(Boolean) compact.invoke(null)) {
            throw new IllegalStateException("LangChain4j's OpenAI mapper was not found: nothing to measure");
        }
        Method toJson = Class.forName("dev.langchain4j.model.openai.internal.Json").getDeclaredMethod("toJson",
                Object.class);
        toJson.setAccessible(true);
        ObjectMapper plain = new ObjectMapper(); // the library's settings with indentation off, no tool cache
        String a = (String) toJson.invoke(null, request(tools));
        String b = plain.writeValueAsString(request(tools));
        if (!a.equals(b)) {
            throw new IllegalStateException("the cached body differs from the library's own encoding");
        }
        System.out.printf(Locale.ROOT, "request body %d bytes, %d tools; %d encodings per round, load %s%n",
                a.length(), tools, PER_ROUND, FloodBench.load());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            double cached = perEncode(mx, tools, req -> (String) toJson.invoke(null, req));
            double uncached = perEncode(mx, tools, plain::writeValueAsString);
            System.out.printf(Locale.ROOT, "round %d: tools encoded once %.1f us, every call %.1f us CPU per body "
                    + "(%.2fx)%n", r + 1, cached, uncached, uncached / cached);
        }
        agentSpecs(mx, tools, rounds, toJson, plain);
    }

    /**
     * The same bodies with the tools as the agent builds them: its {@code ToolSpecifications} (each spec with a
     * description instance of its own), then LangChain4j's OpenAI mapping per call (fresh Tool objects and maps).
     * "by spec": those specs, found by their description; "compared": the same specs rebuilt with a copy of the
     * description (not the agent's), which the cache finds by hashing and comparing every schema map, as before.
     */
    private static void agentSpecs(ThreadMXBean mx, int tools, int rounds, Method toJson, ObjectMapper plain)
            throws Exception {
        Class<?> specsClass = Class.forName("run.codetether.agent.infra.llm.ToolSpecifications");
        java.lang.reflect.Constructor<?> ctor = specsClass.getDeclaredConstructor();
        ctor.setAccessible(true);
        Object specs = ctor.newInstance();
        Method of = specsClass.getDeclaredMethod("of", List.class);
        of.setAccessible(true);
        List<run.codetether.agent.domain.model.ToolSpec> catalog = new ArrayList<>();
        for (int t = 0; t < tools; t++) {
            List<String> text = text(t);
            StringBuilder props = new StringBuilder();
            int i = 2;
            for (String p : List.of("path", "offset", "limit", "pattern")) {
                props.append(props.isEmpty() ? "" : ",").append('"').append(p).append("\":{\"type\":\"")
                        .append(p.equals("offset") || p.equals("limit") ? "integer" : "string")
                        .append("\",\"description\":\"").append(text.get(i++)).append("\"}");
            }
            catalog.add(run.codetether.agent.domain.model.ToolSpec.readOnly(text.get(0), text.get(1),
                    "{\"type\":\"object\",\"properties\":{" + props + "},\"required\":[\"path\"]}"));
        }
        @SuppressWarnings("unchecked")
        List<dev.langchain4j.agent.tool.ToolSpecification> own =
                (List<dev.langchain4j.agent.tool.ToolSpecification>) of.invoke(specs, catalog);
        List<dev.langchain4j.agent.tool.ToolSpecification> copies = new ArrayList<>();
        for (dev.langchain4j.agent.tool.ToolSpecification s : own) {
            copies.add(dev.langchain4j.agent.tool.ToolSpecification.builder().name(s.name())
                    .description(new String(s.description())).parameters(s.parameters()).build());
        }
        String a = (String) toJson.invoke(null, request(own));
        if (!a.equals(plain.writeValueAsString(request(own))) || !a.equals(toJson.invoke(null, request(copies)))) {
            throw new IllegalStateException("the agent's tools' body differs from the library's own encoding");
        }
        System.out.printf(Locale.ROOT, "the agent's own specs: body %d bytes%n", a.length());
        for (int r = 0; r < rounds; r++) {
            double bySpec = perEncode(mx, () -> request(own), req -> (String) toJson.invoke(null, req));
            double compared = perEncode(mx, () -> request(copies), req -> (String) toJson.invoke(null, req));
            System.out.printf(Locale.ROOT, "round %d: agent's specs by spec %.1f us, compared %.1f us CPU per body "
                    + "(%.2fx)%n", r + 1, bySpec, compared, compared / bySpec);
        }
    }

    private static ChatCompletionRequest request(List<dev.langchain4j.agent.tool.ToolSpecification> specs) {
        return ChatCompletionRequest.builder().model("local-model").stream(true).addSystemMessage(SYSTEM)
                .addUserMessage("say ok").tools(dev.langchain4j.model.openai.internal.OpenAiUtils.toTools(specs, false))
                .build();
    }

    private interface Requests {
        ChatCompletionRequest next() throws Exception;
    }

    /** As {@link #perEncode(ThreadMXBean, int, Encoder)}, the requests built by {@code requests} (outside the timing). */
    private static double perEncode(ThreadMXBean mx, Requests requests, Encoder e) throws Exception {
        List<ChatCompletionRequest> reqs = new ArrayList<>(PER_ROUND);
        for (int i = 0; i < PER_ROUND; i++) {
            reqs.add(requests.next());
        }
        long sink = 0;
        long t0 = mx.getCurrentThreadCpuTime();
        for (ChatCompletionRequest r : reqs) {
            sink += e.encode(r).length();
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (sink == 0) {
            throw new IllegalStateException("nothing encoded");
        }
        return (t1 - t0) / 1_000.0 / PER_ROUND;
    }

    private interface Encoder {
        String encode(ChatCompletionRequest r) throws Exception;
    }

    private static double perEncode(ThreadMXBean mx, int tools, Encoder e) throws Exception {
        List<ChatCompletionRequest> reqs = new ArrayList<>(PER_ROUND);
        for (int i = 0; i < PER_ROUND; i++) {
            reqs.add(request(tools));
        }
        long sink = 0;
        long t0 = mx.getCurrentThreadCpuTime();
        for (ChatCompletionRequest r : reqs) {
            sink += e.encode(r).length();
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (sink == 0) {
            throw new IllegalStateException("nothing encoded");
        }
        return (t1 - t0) / 1_000.0 / PER_ROUND;
    }

    /** The catalog's strings, shared by every request as the cached tool specifications' strings are. */
    private static final Map<Integer, List<String>> TEXT = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String SYSTEM = "You are CodeTether's agent. ".repeat(110);

    private static List<String> text(int t) {
        return TEXT.computeIfAbsent(t, k -> {
            List<String> out = new ArrayList<>();
            out.add("tool_" + k);
            out.add("Tool " + k + " does one thing in the workspace; a sentence or two on when to use it and what it "
                    + "returns.");
            for (String p : List.of("path", "offset", "limit", "pattern")) {
                out.add("The " + p + " of tool_" + k + ": what it selects, its unit and default, as a model needs to "
                        + "call it right.");
            }
            return out;
        });
    }

    private static ChatCompletionRequest request(int tools) {
        List<Tool> ts = new ArrayList<>(tools);
        for (int t = 0; t < tools; t++) {
            List<String> text = text(t);
            Map<String, Object> props = new LinkedHashMap<>();
            int i = 2;
            for (String p : List.of("path", "offset", "limit", "pattern")) {
                Map<String, Object> prop = new LinkedHashMap<>();
                prop.put("type", p.equals("offset") || p.equals("limit") ? "integer" : "string");
                prop.put("description", text.get(i++));
                props.put(p, prop);
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("type", "object");
            params.put("properties", props);
            params.put("required", List.of("path"));
            ts.add(Tool.from(Function.builder().name(text.get(0)).description(text.get(1)).parameters(params).build()));
        }
        return ChatCompletionRequest.builder().model("local-model").stream(true).addSystemMessage(SYSTEM)
                .addUserMessage("say ok").tools(ts).build();
    }
}
