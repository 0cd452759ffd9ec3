package run.codetether.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * The local stack the terminal tests share (one per test JVM, started on first use, stopped at exit): the real
 * broker, tools-service, agent-service, swarm-service and gateway as processes, and a scripted model that answers
 * by what the prompt asks, so test classes can run in any order.
 */
final class LocalStack {
    static final String PLAN = """
            {"subtasks":[
              {"id":"alpha","title":"first part","instruction":"Handle part ALPHA","depends_on":[]},
              {"id":"beta","title":"second part","instruction":"Handle part BETA","depends_on":[]},
              {"id":"gamma","title":"third part","instruction":"Handle part GAMMA","depends_on":[]}]}""";

    private static LocalStack instance;

    final ScriptedLlmServer llm;
    final ServiceProcess gateway;
    final Path workspaces;
    private final LocalPlatform platform;

    private LocalStack(ScriptedLlmServer llm, ServiceProcess gateway, Path workspaces, LocalPlatform platform) {
        this.llm = llm;
        this.gateway = gateway;
        this.workspaces = workspaces;
        this.platform = platform;
    }

    static synchronized LocalStack get() throws Exception {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    private static LocalStack start() throws Exception {
        String kafka = SharedKafkaBroker.bootstrapServers();
        Path workspaces = Files.createTempDirectory("codetether-term-ws");
        LocalPlatform platform = new LocalPlatform();
        try {
            ScriptedLlmServer llm = platform.own(ScriptedLlmServer.start());
            llm.respondWith(LocalStack::answer);
            ServiceProcess tools = platform.tools(workspaces, Map.of());
            // the gateway stages the TUI's workspace archives at this tools-service (issue 16)
            ServiceProcess gateway = platform.gateway(kafka, Map.of("CODETETHER_GATEWAY_TOOLS_HOST", "127.0.0.1",
                    "CODETETHER_GATEWAY_TOOLS_PORT", String.valueOf(tools.grpcPort)));
            platform.swarm(kafka, llm.openAiBaseUrl());
            platform.agent(kafka, llm.openAiBaseUrl(), tools, workspaces);
            platform.awaitReady(Duration.ofSeconds(120));
            return new LocalStack(llm, gateway, workspaces, platform);
        } catch (Exception e) {
            platform.close(); // no process outlives a stack that did not start
            throw e;
        }
    }

    /**
     * The scripted model: a file task calls write_file then bash; a swarm plans three parts; sub-agents name their
     * part; anything else gets a Markdown answer that echoes the model it was asked for (so a model switch shows).
     */
    static Reply answer(RecordedRequest request) {
        String body = request.rawBody();
        if (body.contains("response_format")) {
            return Reply.text(PLAN);
        }
        for (String part : List.of("ALPHA", "BETA", "GAMMA")) {
            if (body.contains("Handle part " + part)) {
                return Reply.text("done: " + part);
            }
        }
        com.fasterxml.jackson.databind.JsonNode messages = request.body().path("messages");
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).path("role").asText().equals("user")) {
                lastUser = i;
            }
        }
        String prompt = lastUser < 0 ? "" : messages.get(lastUser).path("content").toString();
        int results = 0;
        for (int i = lastUser + 1; i < messages.size(); i++) {
            results += messages.get(i).path("role").asText().equals("tool") ? 1 : 0;
        }
        if (prompt.contains("Take your time")) {
            return results == 0 ? Reply.tools(Reply.call("call_s", "bash", Map.of("command", "sleep 30")))
                    : Reply.text("slept");
        }
        if (prompt.contains("Fix the greeting")) {
            // worker mode (WorkerEndToEndTest): an edit and a command, both on the worker's checkout
            if (results == 0) {
                return Reply.tools(Reply.call("call_e", "edit", Map.of("path", "greeting.txt",
                        "old_string", "hello world", "new_string", "hello from the worker")));
            }
            if (results == 1) {
                return Reply.tools(Reply.call("call_r", "bash", Map.of("command",
                        "echo ran >> ran.txt && cat greeting.txt")));
            }
            return Reply.text("Fixed the greeting.");
        }
        if (prompt.contains("Create hello.txt")) {
            if (results == 0) {
                return Reply.tools(Reply.call("call_w", "write_file", Map.of("path", "hello.txt", "content", "hello from e2e\n")));
            }
            if (results == 1) {
                return Reply.tools(Reply.call("call_b", "bash", Map.of("command", "wc -c hello.txt")));
            }
            return Reply.text("Wrote **hello.txt** (15 bytes).").withUsage(1200, 80);
        }
        String model = request.body().path("model").asText("?");
        return Reply.text("## Answer\n\nThe model **" + model + "** says:\n\n```java\nint answer = 42;\n```\n\nDone.")
                .withUsage(300, 40).withDelay(Duration.ofMillis(600));
    }

    String url() {
        return "http://127.0.0.1:" + gateway.port + "/";
    }

    private void stop() {
        try {
            platform.close();
        } catch (Exception e) {
            // best effort at exit
        }
    }
}
