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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 19: the launcher's supervisor with the PACKAGED services (a real broker, the five services, a scripted model
 * on loopback), on free ports, all in one stack: kill -9 of the gateway, the agent, the router, the tools service and
 * the broker, each started again by the supervisor and ready within a bound, a task sent after each completes (the
 * broker is killed while a task waits on the model: that task completes too). Then exit status 4 on the real parts:
 * the gateway, restarted with a 3 s Kafka outage budget, loses its broker (SIGSTOP: a hung broker, which the
 * supervisor leaves alone) for longer; its idle push reader's lookups time out past the budget, the loop dies, and
 * the gateway exits 4 (within 45 s of the hang: its shutdown does not wait on the hung broker); the supervisor
 * starts it again (with the default budget) once the broker answers, and {@code status} names the exit.
 * {@code down} leaves nothing running.
 */
class LauncherSuperviseServicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** From the broker's hang to the gateway's exit 4: budget, watch and a shutdown whose closes are bounded. */
    private static final Duration EXIT_4_WITHIN = Duration.ofSeconds(45);
    private static final List<String> MODULES = List.of("tools-service", "router-service", "agent-service",
            "swarm-service", "gateway-service");

    @TempDir
    static Path root;

    private static LauncherStack stack;
    private static ScriptedLlmServer llm;
    private static final CountDownLatch modelHeld = new CountDownLatch(1);
    private static final CountDownLatch releaseModel = new CountDownLatch(1);

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
    void eachPartKilledWithKill9AndAGatewayWhoseKafkaLoopDiedAreStartedAgainAndTheNextTaskCompletes() throws Exception {
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
        llm.respondWith(r -> {
            if (r.bodyText().contains("held across the broker kill")) {
                modelHeld.countDown();
                try {
                    releaseModel.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.text("supervised answer");
        });
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

        for (String part : List.of("router", "tools")) {
            long killed = stack.kill9(part);
            long took = stack.awaitRestarted(part, killed, Duration.ofSeconds(180));
            assertEquals("TASK_STATE_COMPLETED", task("after the " + part + "'s kill -9"));
            System.out.printf("%s killed with kill -9: ready again in %d s (load %s)%n", part, took,
                    LoadAverage.now());
        }

        // the broker killed while a task waits on the model: the task completes after the broker is back
        String held = send("held across the broker kill");
        assertTrue(modelHeld.await(3, TimeUnit.MINUTES), "the held task never reached the model");
        long kafka = stack.kill9("kafka");
        long kafkaTook = awaitKafkaRestarted(kafka, Duration.ofSeconds(300));
        releaseModel.countDown();
        assertEquals("TASK_STATE_COMPLETED", awaitFinal(held, "held across the broker kill"),
                "the task in flight across the broker's kill -9");
        assertEquals("TASK_STATE_COMPLETED", task("after the broker's kill -9"));
        System.out.printf("kafka killed with kill -9 under a task in flight: started again in %d s, the task "
                + "completed (load %s)%n", kafkaTook, LoadAverage.now());

        theGatewayExits4WhenItsKafkaLoopOutlivesItsOutageBudgetAndIsStartedAgain();
        status = stack.run("status").out();
        for (String part : List.of("router", "tools", "kafka")) {
            assertTrue(status.matches("(?s).*\\n" + part + " +\\d+ +\\S+ +1 +ready, last exit 137 \\(SIGKILL.*"),
                    status);
        }

        LauncherStack.Result down = stack.run("down");
        assertEquals(0, down.exit(), down.toString());
        Thread.sleep(3_000);
        assertEquals(List.of(), stack.processesOfThisStack(), "nothing runs after down");
    }

    /**
     * Exit status 4 with an honest trigger: the gateway, started again with {@code codetether.kafka.outage-budget}
     * 3 s and a 3 s loop watch, while its broker hangs (SIGSTOP) for longer: its idle push reader's end-offsets
     * lookups (5 s timeout) fail past the budget, the loop dies, readiness goes DOWN, the watch exits the process
     * with 4. The supervisor starts it again (with its own, default budget) once the broker answers (SIGCONT).
     */
    private static void theGatewayExits4WhenItsKafkaLoopOutlivesItsOutageBudgetAndIsStartedAgain() throws Exception {
        LauncherStack.Result restart = stack.run(Map.of("CODETETHER_KAFKA_OUTAGE_BUDGET", "3s",
                "CODETETHER_GATEWAY_LOOP_WATCH_TIMEOUT", "3s", "CODETETHER_GATEWAY_LOOP_WATCH_INTERVAL", "1s"),
                "restart", "gateway");
        assertEquals(0, restart.exit(), restart.toString());
        assertTrue(stack.ready("gateway"), "the restarted gateway is ready");
        long gateway = stack.pid("gateway").orElseThrow();
        long kafka = stack.pid("kafka").orElseThrow();
        signal("STOP", kafka);
        long t0 = System.nanoTime();
        try {
            long deadline = t0 + Duration.ofMinutes(3).toNanos();
            while (LauncherStack.alive(gateway) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertTrue(!LauncherStack.alive(gateway), "the gateway outlived a 3 min broker outage with a 3 s budget");
        } finally {
            signal("CONT", kafka);
        }
        long exitedAfter = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        // the loop dies ~10 s after the hang and the watch decides 3 s later; the shutdown's Kafka closes are
        // bounded: it took 63 s more while Quarkus' health check's admin client waited on the hung broker
        assertTrue(exitedAfter < EXIT_4_WITHIN.toSeconds(), "the gateway exited " + exitedAfter + " s after its"
                + " broker hung, not within " + EXIT_4_WITHIN + ": a close on shutdown waits on the hung broker");
        Path exit = stack.pids().resolve("gateway.exit");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(exit) && Files.readString(exit).startsWith(gateway + " ")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.readString(exit).startsWith(gateway + " 4 "), "the gateway's exit: " + Files.readString(exit));
        String log = Files.readString(stack.root.resolve(".codetether/logs/gateway.log"));
        assertTrue(log.contains("longer than codetether.kafka.outage-budget (PT3S)"), "the loop's cause in the log");
        long took = stack.awaitRestarted("gateway", gateway, Duration.ofSeconds(180));
        String sup = stack.awaitSupervisorLog(Duration.ofSeconds(30),
                "gateway (pid " + gateway + ") exited: exit 4 (gateway: a Kafka loop stayed dead)");
        assertTrue(sup.contains("gateway (pid " + gateway + ") exited: exit 4 (gateway: a Kafka loop stayed dead)"),
                sup);
        String status = stack.run("status").out();
        assertTrue(status.matches("(?s).*\\ngateway +\\d+ +\\S+ +\\d+ +ready, last exit 4 \\(gateway: a Kafka loop "
                + "stayed dead\\) at .*"), status);
        assertEquals("TASK_STATE_COMPLETED", task("after the gateway's exit 4"));
        System.out.printf("gateway with a 3 s outage budget under a hung broker: exited 4 after %d s, ready again "
                + "%d s after the broker answered (load %s)%n", exitedAfter, took, LoadAverage.now());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    /** The broker, which has no HTTP readiness: started again under another pid and "ready" in {@code status}. */
    private static long awaitKafkaRestarted(long killed, Duration timeout) throws Exception {
        long start = System.nanoTime();
        String status = "";
        while (System.nanoTime() - start < timeout.toNanos()) {
            java.util.OptionalLong now = stack.pid("kafka");
            if (now.isPresent() && now.getAsLong() != killed && LauncherStack.alive(now.getAsLong())) {
                status = stack.run("status").out();
                if (status.matches("(?s).*\\nkafka +" + now.getAsLong() + " +\\S+ +\\d+ +ready.*")) {
                    return Duration.ofNanos(System.nanoTime() - start).toSeconds();
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("kafka not started again within " + timeout + "\n" + status + "\n"
                + stack.supervisorLog());
    }

    /** SendMessage, then GetTask until terminal (3 min); answers the final state. */
    private static String task(String text) throws Exception {
        return awaitFinal(send(text), text);
    }

    /** SendMessage (returning at once); answers the task's id. */
    private static String send(String text) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString()).put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", "Say hello " + text);
        params.putObject("configuration").put("returnImmediately", true);
        JsonNode sent = rpc("SendMessage", params);
        String id = sent.path("result").path("task").path("id").asText();
        assertTrue(!id.isEmpty(), "SendMessage " + text + ": " + sent);
        return id;
    }

    /** GetTask until terminal (3 min); answers the final state. */
    private static String awaitFinal(String id, String text) throws Exception {
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
