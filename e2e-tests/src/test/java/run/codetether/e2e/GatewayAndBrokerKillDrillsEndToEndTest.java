package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 19's kill drills of the gateway and of the Kafka broker, through the real processes and a real SIGKILL
 * (exit 137 asserted). The broker is a process of its own here (the local stack's {@code LocalKafkaMain}, data in a
 * folder), so it can be killed and started again on the same ports and data, as {@code ./codetether restart kafka}
 * does. Two gateways ("gw-a", "gw-b"), one tools-service, one agent.
 *
 * <ol>
 *   <li>The gateway serving a client's stream is killed while the task waits on the model after a tool call: the
 *       stream is cut, the client resubscribes at the other gateway and gets the task's final state; the killed
 *       gateway, restarted on its port, knows the task too; the task completed once, its side effect ran once.</li>
 *   <li>The broker is killed while a task waits on the model after a tool call: a SendMessage during the outage
 *       fails within 2 s with the retryable UNAVAILABLE (-31004, Retry-After and retryAfterSeconds); the
 *       model answers while the broker is still down (the agent's event and session sends wait for it); the broker
 *       is started again on its ports and data; the task completes once, its side effect ran once.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayAndBrokerKillDrillsEndToEndTest {
    /**
     * A start or restart, which is not what the drills test: the restarted broker's log recovery took over 2 min at
     * load 78-92 on the helpers' 2 cores (14 s on CI's).
     */
    private static final Duration READY = Duration.ofSeconds(300);
    private static final Duration TASK = Duration.ofSeconds(90);
    /** Issue 19: a SendMessage during a Kafka outage fails within this (on a machine not loaded past 1 per core). */
    private static final Duration FAST_FAIL = Duration.ofSeconds(2);
    /** The gateways' Kafka send timeout: with the request's own work the answer stays under {@link #FAST_FAIL}. */
    private static final Duration SEND_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    static Path dirs;

    static final LocalPlatform platform = new LocalPlatform();
    static BrokerProcess broker;
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess gatewayA;
    static ServiceProcess gatewayB;
    static EventLog events;
    static Path workspaces;

    static final CountDownLatch gatewayDrillAsked = new CountDownLatch(1);
    static final CountDownLatch gatewayDrillRelease = new CountDownLatch(1);
    static final CountDownLatch brokerDrillAsked = new CountDownLatch(1);
    static final CountDownLatch brokerDrillRelease = new CountDownLatch(1);

    @BeforeAll
    static void startPlatform() throws Exception {
        broker = platform.broker(dirs.resolve("kafka"), READY);
        String kafka = broker.bootstrapServers();
        workspaces = Files.createDirectories(dirs.resolve("tools-workspaces"));
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(GatewayAndBrokerKillDrillsEndToEndTest::answer);
        tools = platform.tools(workspaces, Map.of());
        gatewayA = platform.gateway(kafka, gatewayEnv("gw-a"));
        gatewayB = platform.gateway(kafka, gatewayEnv("gw-b"));
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, dirs);
        platform.awaitReady(READY);
        events = platform.own(new EventLog(kafka));
    }

    /** A gateway's own settings (the broker's address is the platform's). */
    private static Map<String, String> gatewayEnv(String instanceId) {
        return Map.of("CODETETHER_GATEWAY_INSTANCE_ID", instanceId,
                "CODETETHER_GATEWAY_KAFKA_SEND_TIMEOUT", SEND_TIMEOUT.toMillis() + "ms");
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        platform.close();
    }

    /** The scripted model: a tool call that counts a side effect, then an answer held until the drill releases it. */
    static Reply answer(RecordedRequest request) {
        RecordedRequest.Turn turn = request.lastTurn();
        for (Drill d : Drill.values()) {
            if (turn.prompt().contains(d.marker)) {
                if (turn.toolResults() == 0) {
                    return Reply.tools(Reply.call("call_" + d.file, "bash", Map.of("command",
                            "echo ran >> " + d.file)));
                }
                d.asked.countDown();
                try {
                    d.release.await(TASK.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.text(d.answer);
            }
        }
        return Reply.text("ok");
    }

    enum Drill {
        GATEWAY("GATEWAYKILL-E2E", "gateway-count.txt", "Finished after the gateway died.", gatewayDrillAsked,
                gatewayDrillRelease),
        BROKER("BROKERKILL-E2E", "broker-count.txt", "Finished after the broker came back.", brokerDrillAsked,
                brokerDrillRelease);

        final String marker;
        final String file;
        final String answer;
        final CountDownLatch asked;
        final CountDownLatch release;

        Drill(String marker, String file, String answer, CountDownLatch asked, CountDownLatch release) {
            this.marker = marker;
            this.file = file;
            this.answer = answer;
            this.asked = asked;
            this.release = release;
        }
    }

    @Test
    @Order(1)
    void aGatewayKilledMidTaskCutsItsStreamTheClientResubscribesElsewhereAndTheTaskCompletesOnce() throws Exception {
        String request = A2aHttp.JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
                .put("method", "SendStreamingMessage").<com.fasterxml.jackson.databind.node.ObjectNode>set("params",
                        A2aHttp.sendParams("ctx-" + UUID.randomUUID(), Drill.GATEWAY.marker + ": count once, answer",
                                false, Map.of("provider", "local")))
                .toString();
        String taskId;
        List<SseClient.Event> beforeKill;
        try (SseClient onA = SseClient.post(gatewayA.url("/"), request, Map.of("A2A-Version", "1.0"))) {
            SseClient.Event first = onA.next(TASK);
            assertTrue(first != null, "the stream's first event (the task) arrived");
            taskId = A2aHttp.JSON.readTree(first.data()).path("result").path("task").path("id").asText();
            assertFalse(taskId.isBlank(), "the first event is the task: " + first);
            assertTrue(Drill.GATEWAY.asked.await(TASK.toSeconds(), TimeUnit.SECONDS), "the agent never asked the"
                    + " model after its tool call:\n" + agent.tail());

            assertEquals(137, gatewayA.kill(), "killed by SIGKILL (128 + 9)");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!onA.ended() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(onA.ended(), "the killed gateway's stream is cut");
            beforeKill = drain(onA);
        }
        assertTrue(beforeKill.stream().noneMatch(e -> e.data().contains("TASK_STATE_COMPLETED")),
                "nothing final reached the client before the kill: " + beforeKill);

        String subscribe = A2aHttp.JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 2)
                .put("method", "SubscribeToTask").<com.fasterxml.jackson.databind.node.ObjectNode>set("params",
                        A2aHttp.JSON.createObjectNode().put("id", taskId)).toString();
        try (SseClient onB = SseClient.post(gatewayB.url("/"), subscribe, Map.of("A2A-Version", "1.0"))) {
            SseClient.Event snapshot = onB.next(Duration.ofSeconds(30));
            assertTrue(snapshot != null, "the resubscription answered");
            JsonNode task = A2aHttp.JSON.readTree(snapshot.data()).path("result").path("task");
            assertEquals(taskId, task.path("id").asText(), "a resubscription starts with the task: " + snapshot);
            assertEquals("TASK_STATE_WORKING", task.path("status").path("state").asText(), "still running");
            Drill.GATEWAY.release.countDown();
            List<SseClient.Event> rest = onB.until(e -> e.data().contains("TASK_STATE_COMPLETED"), TASK);
            assertTrue(rest.stream().anyMatch(e -> e.data().contains(Drill.GATEWAY.answer)),
                    "the answer reaches the resubscribed client: " + rest);
        }

        gatewayA = platform.restart(gatewayA);
        gatewayA.awaitReady(READY);
        JsonNode onRestarted = new A2aHttp(gatewayA).rpc("GetTask", A2aHttp.JSON.createObjectNode().put("id", taskId));
        assertEquals("TASK_STATE_COMPLETED", onRestarted.path("status").path("state").asText(),
                onRestarted.toPrettyString());
        assertCompletedOnceWithOneSideEffect(taskId, Drill.GATEWAY);
    }

    @Test
    @Order(2)
    void aBrokerKilledMidTaskFailsNewSendsFastAndTheTaskCompletesOnceWhenItIsBack() throws Exception {
        A2aHttp a2a = new A2aHttp(gatewayB);
        String taskId = a2a.send("ctx-" + UUID.randomUUID(), Drill.BROKER.marker + ": count once, answer",
                Map.of("provider", "local")).path("id").asText();
        assertTrue(Drill.BROKER.asked.await(TASK.toSeconds(), TimeUnit.SECONDS), "the agent never asked the model"
                + " after its tool call:\n" + agent.tail());

        long killedAt = System.nanoTime();
        assertEquals(137, broker.kill(), "killed by SIGKILL (128 + 9)");

        double loadBefore = LoadAverage.perCore();
        long sentAt = System.nanoTime();
        HttpResponse<String> refused = a2a.raw("SendMessage", A2aHttp.sendParams("ctx-" + UUID.randomUUID(),
                "sent during the outage", false, Map.of("provider", "local")), null);
        Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
        // the send timeout is the behaviour; the rest of the bound is the request's own CPU work, which a loaded
        // machine stretches (2,096 ms seen at load 31-66 on 2 cores); at most 10x (6.5 s): a wait for Kafka's 60 s
        // max.block still fails
        Duration bound = SEND_TIMEOUT.plus(LoadAverage.stretch(FAST_FAIL.minus(SEND_TIMEOUT), 10, loadBefore,
                LoadAverage.perCore()));
        JsonNode error = A2aHttp.JSON.readTree(refused.body()).path("error");
        System.out.printf("KILL DRILL broker: SendMessage during the outage answered in %d ms (bound %d ms): HTTP %d"
                + " %s (load %s)%n", took.toMillis(), bound.toMillis(), refused.statusCode(), error, LoadAverage.now());
        assertEquals(-31004, error.path("code").asInt(), "UNAVAILABLE: " + refused.body());
        assertTrue(error.path("data").path("retryAfterSeconds").asInt() >= 1, "a retry hint: " + refused.body());
        // JSON-RPC answers an UNAVAILABLE like any result (HTTP 200), with the retry hint in a header too
        assertEquals(200, refused.statusCode(), refused.body());
        assertEquals(error.path("data").path("retryAfterSeconds").asText(),
                refused.headers().firstValue("Retry-After").orElse("none"), "Retry-After: " + refused.headers());

        // the model answers while the broker is down: the agent's event and session sends must wait for it
        Drill.BROKER.release.countDown();
        Thread.sleep(2_000); // the outage goes on after the answer (the agent holds its sends meanwhile)
        broker = platform.restart(broker, READY);
        System.out.printf("KILL DRILL broker: back %d ms after the kill (load %s)%n",
                (System.nanoTime() - killedAt) / 1_000_000, LoadAverage.now());

        JsonNode done = a2a.awaitFinal(taskId, TASK, gatewayB, agent);
        assertEquals("TASK_STATE_COMPLETED", done.path("status").path("state").asText(), done.toPrettyString());
        assertTrue(done.toString().contains(Drill.BROKER.answer), done.toPrettyString());
        System.out.printf("KILL DRILL broker: the task completed %d ms after the kill%n",
                (System.nanoTime() - killedAt) / 1_000_000);
        assertCompletedOnceWithOneSideEffect(taskId, Drill.BROKER);
        assertTrue(took.compareTo(bound) <= 0, "the send during the outage failed fast: " + took.toMillis()
                + " ms, bound " + bound.toMillis() + " ms (" + FAST_FAIL.toMillis() + " ms at load per core <= 1)");
    }

    private static void assertCompletedOnceWithOneSideEffect(String taskId, Drill drill) throws Exception {
        // the event log reads tasks.events from the start: wait for the completion, then for a duplicate
        events.await(e -> e.event().taskId().equals(taskId) && e.event() instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.COMPLETED, TASK)
                .orElseThrow(() -> new AssertionError("no COMPLETED event of " + taskId + " on tasks.events"));
        Thread.sleep(500);
        long completions = events.all().stream().filter(e -> e.event().taskId().equals(taskId)
                && e.event() instanceof TaskEvent.StatusChanged s && s.status().state() == TaskState.COMPLETED).count();
        assertEquals(1, completions, "completed exactly once");
        long answers = llm.requests().stream().filter(r -> r.lastTurn().prompt().contains(drill.marker)
                && r.lastTurn().toolResults() == 0).count();
        assertEquals(1, answers, "the model was asked for the tool call once (the run was not started over)");
        assertEquals("ran\n", Files.readString(find(drill.file)), "the tool call ran once");
    }

    private static List<SseClient.Event> drain(SseClient sse) throws InterruptedException {
        List<SseClient.Event> all = new java.util.ArrayList<>();
        SseClient.Event e;
        while ((e = sse.next(Duration.ZERO)) != null) {
            all.add(e);
        }
        return all;
    }

    private static Path find(String name) throws Exception {
        try (Stream<Path> files = Files.walk(workspaces)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " was not written under " + workspaces));
        }
    }
}
