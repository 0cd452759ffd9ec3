package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 19: the launcher's supervisor with the PACKAGED services (a real broker, the five services, a scripted model
 * on loopback), on free ports: kill -9 of the gateway and then of the agent, each started again by the supervisor
 * and ready within a bound, a task sent after each completes; {@code down} leaves nothing running.
 */
class LauncherSuperviseServicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> MODULES = List.of("tools-service", "router-service", "agent-service",
            "swarm-service", "gateway-service");

    @TempDir
    static Path root;

    private static LauncherStack stack;
    private static ScriptedLlmServer llm;

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            stack.run("down");
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void theGatewayAndTheAgentKilledWithKill9AreStartedAgainAndTheNextTaskCompletes() throws Exception {
        Path repo = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        stack = new LauncherStack(root);
        // the packaged build, linked where the launcher looks for it (its start-up caches are off: CODETETHER_NO_AOT)
        for (String module : MODULES) {
            Path app = repo.resolve(module + "/target/quarkus-app");
            assertTrue(Files.exists(app.resolve("quarkus-run.jar")), "package " + module + " first");
            Files.createDirectories(root.resolve(module + "/target"));
            Files.createSymbolicLink(root.resolve(module + "/target/quarkus-app"), app);
        }
        Files.createDirectories(root.resolve("test-fixtures/target"));
        Files.createSymbolicLink(root.resolve("test-fixtures/target/lib"), repo.resolve("test-fixtures/target/lib"));
        Files.createDirectories(root.resolve("cli/target"));
        try (Stream<Path> jars = Stream.concat(Files.list(repo.resolve("test-fixtures/target")),
                Files.list(repo.resolve("cli/target")))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                if (name.matches("test-fixtures-[^-]+(-SNAPSHOT)?\\.jar") || name.matches("cli-.*-runner\\.jar")) {
                    Files.createSymbolicLink(root.resolve(repo.relativize(jar)), jar);
                }
            }
        }
        llm = ScriptedLlmServer.start();
        llm.respondWith(r -> Reply.text("supervised answer"));
        stack.env.put("CODETETHER_LOCAL_BASE_URL", llm.openAiBaseUrl());
        stack.env.put("CODETETHER_LOCAL_MODEL", "scripted-coder");
        stack.env.put("CODETETHER_TOOL_ROUTER_ENABLED", "false");
        stack.env.put("CODETETHER_COGNITION_AUTO_START", "false");
        stack.env.put("CODETETHER_SECRETS_FILE", root.resolve("no-secrets.json").toString());
        stack.env.put("CODETETHER_UP_TIMEOUT", "300");

        long t0 = System.nanoTime();
        LauncherStack.Result up = stack.run("up");
        assertEquals(0, up.exit(), up.toString());
        System.out.printf("launcher stack up in %d s (load %s)%n", Duration.ofNanos(System.nanoTime() - t0)
                .toSeconds(), LoadAverage.now());
        assertTrue(up.out().contains("supervisor started"), up.out());
        assertEquals("TASK_STATE_COMPLETED", task("before any kill"), "a task on the fresh stack");

        long gateway = stack.kill9("gateway");
        long gatewayTook = stack.awaitRestarted("gateway", gateway, Duration.ofSeconds(180));
        assertEquals("TASK_STATE_COMPLETED", task("after the gateway's kill -9"));

        long agent = stack.kill9("agent");
        long agentTook = stack.awaitRestarted("agent", agent, Duration.ofSeconds(180));
        assertEquals("TASK_STATE_COMPLETED", task("after the agent's kill -9"));
        System.out.printf("packaged services killed with kill -9: gateway ready again in %d s, agent in %d s "
                + "(load %s)%n", gatewayTook, agentTook, LoadAverage.now());

        String status = stack.run("status").out();
        assertTrue(status.matches("(?s).*\\ngateway +\\d+ +\\S+ +1 +ready, last exit 137 \\(SIGKILL.*"), status);
        assertTrue(status.matches("(?s).*\\nagent +\\d+ +\\S+ +1 +ready, last exit 137 \\(SIGKILL.*"), status);

        LauncherStack.Result down = stack.run("down");
        assertEquals(0, down.exit(), down.toString());
        Thread.sleep(3_000);
        assertEquals(List.of(), stack.processesOfThisStack(), "nothing runs after down");
    }

    /** SendMessage, then GetTask until terminal (3 min); answers the final state. */
    private static String task(String text) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString()).put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", "Say hello " + text);
        params.putObject("configuration").put("returnImmediately", true);
        JsonNode sent = rpc("SendMessage", params);
        String id = sent.path("result").path("task").path("id").asText();
        assertTrue(!id.isEmpty(), "SendMessage " + text + ": " + sent);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode got = null;
        while (System.nanoTime() < deadline) {
            got = rpc("GetTask", JSON.createObjectNode().put("id", id));
            String state = got.path("result").path("status").path("state").asText();
            if (state.endsWith("COMPLETED") || state.endsWith("FAILED") || state.endsWith("CANCELED")
                    || state.endsWith("REJECTED")) {
                return state;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("task " + text + " not finished in 3 min: " + got + "\n" + stack.run("status").out());
    }

    private static JsonNode rpc(String method, JsonNode params) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        body.set("params", params);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + stack.httpPort("gateway") + "/"))
                        .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode answer = JSON.readTree(r.body());
                JsonNode retry = answer.path("error").path("data").path("retryAfterSeconds");
                if (retry.isNumber()) { // overloaded or the broker slow: nothing started, retry as a client does
                    Thread.sleep(retry.asLong() * 1000);
                    continue;
                }
                assertTrue(!answer.has("error"), method + ": " + answer);
                return answer;
            } catch (IOException e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw new AssertionError(method + " failed 5 times", last);
    }
}
