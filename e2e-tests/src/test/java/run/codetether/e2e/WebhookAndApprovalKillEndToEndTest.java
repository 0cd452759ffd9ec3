package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.e2e.TaskPolls.approvalRequest;
import static run.codetether.e2e.TaskPolls.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 19's last kill cases, on the packaged processes with a real SIGKILL (exit 137 asserted):
 *
 * <ol>
 *   <li>A webhook's end delivered twice: the gateway is killed while the receiver holds the task's final
 *       notification (the POST arrived, its answer and the commit behind it never happen, the window between a
 *       delivery and its commit held open). The restarted gateway delivers it again, with the same delivery id
 *       ({@code X-Codetether-Delivery-Id}) and body: a receiver that dedupes by the id processes it once.</li>
 *   <li>An approval answered, then the agent killed: the approved call (a bash command counting its runs) is running
 *       when the agent is killed, its result not saved and the answer's command not committed; a new agent takes
 *       the redelivered answer over: the call ran once, the model's next call is asked about, not run.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookAndApprovalKillEndToEndTest {
    /** A start or restart under other builds' load, which is not what is tested. */
    private static final Duration READY = Duration.ofSeconds(300);
    private static final Duration TASK = Duration.ofSeconds(120);
    private static final String WEBHOOK = "WEBHOOKKILL-E2E";
    private static final String APPROVAL = "APPROVALKILL-E2E";

    @TempDir
    static Path dirs;

    static final LocalPlatform platform = new LocalPlatform();
    static String kafka;
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess gateway;
    static ServiceProcess agent;
    static Path workspaces;

    @BeforeAll
    static void startPlatform() throws Exception {
        kafka = SharedKafkaBroker.bootstrapServers();
        workspaces = Files.createDirectories(dirs.resolve("tools-workspaces"));
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(WebhookAndApprovalKillEndToEndTest::answer);
        tools = platform.tools(workspaces, Map.of());
        gateway = platform.gateway(kafka, Map.of("CODETETHER_GATEWAY_INSTANCE_ID", "gw-faults5",
                "CODETETHER_GATEWAY_PUSH_ALLOW_PRIVATE_TARGETS", "true",
                "CODETETHER_GATEWAY_PUSH_INITIAL_BACKOFF", "200ms"));
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, dirs);
        platform.awaitReady(READY);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        platform.close();
    }

    /**
     * The webhook drill's task answers at once; the approval drill's asks to run a counting command that takes a
     * few seconds (the kill lands while it runs), then a second command, then ends.
     */
    static Reply answer(RecordedRequest request) {
        RecordedRequest.Turn turn = request.lastTurn();
        if (turn.prompt().contains(APPROVAL)) {
            return switch (turn.toolResults()) {
                case 0 -> Reply.tools(Reply.call("call_first", "bash", Map.of("command",
                        "echo ran >> approved-count.txt && sleep 6 && echo slept")));
                case 1 -> Reply.tools(Reply.call("call_second", "bash", Map.of("command",
                        "echo ran >> second-count.txt")));
                default -> Reply.text("Approval drill done.");
            };
        }
        return Reply.text("Webhook drill done.");
    }

    /** One POST the webhook got: its delivery id and body. */
    /** The body as JSON: a re-delivery may write the same metadata in another key order (same notification). */
    record Delivery(String id, JsonNode body) {}

    @Test
    @Order(1)
    void aFinalNotificationCutByAGatewayKillIsDeliveredAgainUnderTheSameId() throws Exception {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        CountDownLatch finalArrived = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService handlers = Executors.newCachedThreadPool();
        receiver.setExecutor(handlers); // a held POST must not hold the others
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            got.add(new Delivery(ex.getRequestHeaders().getFirst("X-Codetether-Delivery-Id"),
                    A2aHttp.JSON.readTree(body)));
            if (body.contains("TASK_STATE_COMPLETED") && finalArrived.getCount() > 0) {
                finalArrived.countDown(); // the first final notification: answered only after the kill
                try {
                    killed.await(TASK.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                ex.sendResponseHeaders(204, -1);
            } catch (java.io.IOException e) {
                // the killed gateway's connection is gone: it never saw this answer, which is the point
            }
            ex.close();
        });
        receiver.start();
        try {
            ObjectNode params = A2aHttp.sendParams("ctx-" + UUID.randomUUID(), WEBHOOK + ": answer at once", false,
                    Map.of("provider", "local"));
            ((ObjectNode) params.get("configuration")).putObject("taskPushNotificationConfig")
                    .put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                    .put("token", "faults5-token");
            String taskId = new A2aHttp(gateway).rpcRetrying("SendMessage", params, null).path("task").path("id")
                    .asText();
            assertFalse(taskId.isBlank());
            assertTrue(finalArrived.await(TASK.toSeconds(), TimeUnit.SECONDS), "the final notification never"
                    + " arrived: " + got + "\ngateway log:\n" + gateway.tail());
            assertEquals(137, gateway.kill(), "killed by SIGKILL (128 + 9) while its final POST was unanswered");
            killed.countDown();
            List<Delivery> beforeKill = List.copyOf(got);

            gateway = platform.restart(gateway);
            gateway.awaitReady(READY);
            long deadline = System.nanoTime() + TASK.toNanos();
            while (finals(got).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000); // anything else the restarted gateway sends again
            List<Delivery> all = List.copyOf(got);
            System.out.printf("KILL webhook: %d POSTs before the kill, %d after; ids %s (load %s)%n",
                    beforeKill.size(), all.size() - beforeKill.size(), all.stream().map(Delivery::id).toList(),
                    LoadAverage.now());
            List<Delivery> finals = finals(all);
            assertEquals(2, finals.size(), "the final notification, cut by the kill, was delivered again: " + all
                    + "\ngateway log:\n" + gateway.tail());
            assertTrue(finals.getFirst().id() != null && !finals.getFirst().id().isBlank(), "it has an id: " + all);
            assertEquals(finals.get(0), finals.get(1), "the same notification: same id, same body");
            assertTrue(finals.getFirst().id().contains(taskId), finals.getFirst().id());
            for (Delivery d : all.subList(beforeKill.size(), all.size())) {
                assertTrue(beforeKill.contains(d), "the restarted gateway sent only what it may not have sent"
                        + " before, each under its first id: " + d + " not in " + beforeKill);
            }
            all.stream().collect(java.util.stream.Collectors.groupingBy(Delivery::id)).forEach((id, same) ->
                    assertEquals(1, same.stream().map(Delivery::body).distinct().count(), "one notification per id: "
                            + same));
        } finally {
            killed.countDown();
            receiver.stop(0);
            handlers.shutdownNow();
        }
    }

    private static List<Delivery> finals(List<Delivery> got) {
        return got.stream().filter(d -> d.body().toString().contains("TASK_STATE_COMPLETED")).toList();
    }

    @Test
    @Order(2)
    void anApprovedCallCutByAnAgentKillRunsOnceAndTheNextCallIsStillAsked() throws Exception {
        A2aHttp http = new A2aHttp(gateway);
        String contextId = "ctx-" + UUID.randomUUID();
        String taskId = http.send(contextId, APPROVAL + ": run it after I approve", Map.of("provider", "local",
                "access_mode", "approve")).path("id").asText();
        JsonNode asking = awaitTask(http, taskId, t -> approvalRequest(t) != null || terminal(t));
        assertEquals("call_first", callId(asking), "the command waits for approval: " + asking);

        approve(http, contextId, taskId, "call_first", "approve");
        Path count = await(() -> find("approved-count.txt"), "the approved command started");
        assertEquals(137, agent.kill(), "killed by SIGKILL while the approved command ran");
        ServiceProcess killedAgent = agent;
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, dirs);
        agent.awaitReady(READY);

        JsonNode next = awaitTask(http, taskId, t -> terminal(t) || "call_second".equals(callId(t)));
        assertEquals("call_second", callId(next), "the new agent finished the approved call and asks about the"
                + " next one (not approved by the earlier answer): " + next + "\nkilled agent:\n" + killedAgent.tail()
                + "\nnew agent:\n" + agent.tail());
        Thread.sleep(7_000); // the first run of the command sleeps 6 s: a second run would have counted by now
        assertEquals("ran\n", Files.readString(count), "the approved command ran once");
        assertTrue(find("second-count.txt").isEmpty(), "the next command was not run without an approval");
        long firstAsks = llm.requests().stream().filter(r -> r.lastTurn().prompt().contains(APPROVAL)
                && r.lastTurn().toolResults() == 0).count();
        assertEquals(1, firstAsks, "the task was not started over");
        // what the model was told of the cut call: tools-service stops a command whose caller went away and stores
        // it INTERRUPTED, so the new agent's repeat of the call id reads that instead of a second run or an exit 137
        List<String> seen = llm.requests().stream()
                .filter(r -> r.lastTurn().prompt().contains(APPROVAL)).flatMap(r -> r.toolResults().stream())
                .filter(t -> t.callId().equals("call_first")).map(RecordedRequest.ToolResult::content).distinct()
                .toList();
        System.out.printf("KILL approval: the model saw for call_first: %s (load %s)%n", seen, LoadAverage.now());
        assertEquals(1, seen.size(), "one answer for the cut call: " + seen);
        assertTrue(seen.get(0).startsWith("INTERRUPTED: the caller went away while this call ran"), seen.get(0));

        approve(http, contextId, taskId, "call_second", "deny");
        JsonNode done = awaitTask(http, taskId, TaskPolls::terminal);
        // the approved command did not finish and was not run again: the task must not read as a success
        assertEquals("TASK_STATE_FAILED", done.path("status").path("state").asText(), done.toString());
        assertTrue(done.path("status").toString().contains("Tool call interrupted: bash (call call_first)"),
                done.path("status").toString());
        assertTrue(find("second-count.txt").isEmpty(), "denied: never run");
        assertEquals("ran\n", Files.readString(count), "still once");
    }

    /** The client's decision as the DataPart of a follow-up message on the task. */
    private static void approve(A2aHttp http, String contextId, String taskId, String callId, String decision)
            throws Exception {
        ObjectNode params = A2aHttp.approvalParams(contextId, taskId, callId, decision);
        http.rpcRetrying("SendMessage", params, null);
    }

    private static JsonNode awaitTask(A2aHttp http, String taskId, Predicate<JsonNode> until) throws Exception {
        return TaskPolls.awaitTask(http, taskId, TASK, until, () -> "agent log:\n" + agent.tail());
    }

    /** The call id of the approval_request an input-required status asks about, or null. */
    private static String callId(JsonNode task) {
        JsonNode request = approvalRequest(task);
        return request == null ? null : request.path("call_id").asText();
    }

    private static Optional<Path> find(String name) throws Exception {
        try (Stream<Path> files = Files.walk(workspaces)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
    }

    private static Path await(java.util.concurrent.Callable<Optional<Path>> found, String what) throws Exception {
        long deadline = System.nanoTime() + TASK.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Path> p = found.call();
            if (p.isPresent()) {
                return p.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(what + " never happened in " + TASK + "\nagent log:\n" + agent.tail());
    }
}
