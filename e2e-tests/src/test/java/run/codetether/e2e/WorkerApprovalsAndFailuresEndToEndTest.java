package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.e2e.TaskPolls.approvalRequest;
import static run.codetether.e2e.TaskPolls.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Worker mode's hard cases through the real processes (docs/worker.md, issue 15 "Proof"): one broker, tools-service,
 * agent-service and TWO gateway replicas ("gw-a", "gw-b") for the class, and a real {@code codetether worker}
 * process (the CLI jar) per test on its own temporary git checkout.
 *
 * <ul>
 *   <li>approve mode: the edit waits in input-required with a diff preview; a deny reaches the model as a refusal;
 *       the model's second try is approved and the edit lands on disk exactly once;</li>
 *   <li>kill -9 of the worker JVM in the middle of a bash command, then a restart: the command's side effect
 *       happened once, the repeat is refused by the worker's start marker, the model is told so and the task ends;
 *       without a restart the call fails after the agent's wait-for with a reason the model reads; either way the
 *       model reads INTERRUPTED and the task ends FAILED, never COMPLETED (issue 19);</li>
 *   <li>a worker stopped (SIGTERM) mid-command answers the call INTERRUPTED at once, before it deregisters;</li>
 *   <li>the worker connected to gateway A, the task sent to gateway B: the edit lands in the checkout.</li>
 * </ul>
 */
class WorkerApprovalsAndFailuresEndToEndTest {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration TASK = Duration.ofSeconds(120);
    private static final Duration WAIT_FOR = Duration.ofSeconds(20);

    @TempDir
    static Path dirs;

    static ScriptedLlmServer llm;
    static ServiceProcess gatewayA;
    static ServiceProcess gatewayB;
    static final LocalPlatform platform = new LocalPlatform();
    static final List<Process> workers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPlatform() throws Exception {
        String kafka = SharedKafkaBroker.bootstrapServers();
        Path workspaces = Files.createDirectories(dirs.resolve("tools-workspaces"));
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(WorkerApprovalsAndFailuresEndToEndTest::answer);
        ServiceProcess tools = platform.tools(workspaces, Map.of());
        // a killed worker is noticed after 3 silent heartbeats of 1 s (not 10), leaves the registry after 2 s (not 30),
        // and a call waits 20 s (not 60) for it to return
        gatewayA = platform.gateway(kafka, Map.of(
                "CODETETHER_GATEWAY_INSTANCE_ID", "gw-a", "CODETETHER_GATEWAY_WORKERS_GRACE", "2s",
                "CODETETHER_GATEWAY_WORKERS_HEARTBEAT_INTERVAL", "1s"));
        gatewayB = platform.gateway(kafka, Map.of(
                "CODETETHER_GATEWAY_INSTANCE_ID", "gw-b", "CODETETHER_GATEWAY_WORKERS_GRACE", "2s",
                "CODETETHER_GATEWAY_WORKERS_HEARTBEAT_INTERVAL", "1s"));
        tools.awaitReady(READY);
        platform.start("agent-service", Map.of(
                "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                "CODETETHER_LOCAL_BASE_URL", llm.openAiBaseUrl(),
                "CODETETHER_LOCAL_MODEL", "scripted-coder",
                "CODETETHER_AGENT_TOOLS_HOST", "127.0.0.1",
                "CODETETHER_AGENT_TOOLS_PORT", String.valueOf(tools.grpcPort),
                "CODETETHER_TOOL_ROUTER_ENABLED", "false",
                "CODETETHER_SECRETS_FILE", workspaces.resolve("no-secrets.json").toString(),
                "CODETETHER_AGENT_WORKERS_WAIT_FOR", WAIT_FOR.toSeconds() + "s"));
        platform.awaitReady(READY);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        for (Process w : workers) {
            w.destroy(); // SIGTERM: the worker deregisters
            if (!w.waitFor(10, TimeUnit.SECONDS)) {
                w.destroyForcibly();
            }
        }
        platform.close();
    }

    /**
     * The scripted model, by the marker in the task's prompt; the count of tool results after the prompt is the
     * step (an approval answer adds no user message, the refusal comes back as the call's tool result).
     */
    static Reply answer(RecordedRequest request) {
        RecordedRequest.Turn turn = request.lastTurn();
        String prompt = turn.prompt();
        int results = turn.toolResults();
        Map<String, Object> exclaim = Map.of("path", "greeting.txt", "old_string", "hello world",
                "new_string", "hello world!");
        if (prompt.contains("APPROVAL-E2E")) {
            return switch (results) {
                case 0 -> Reply.tools(Reply.call("call_edit_1", "edit", exclaim));
                case 1 -> Reply.tools(Reply.call("call_edit_2", "edit", exclaim)); // tries again after the refusal
                default -> Reply.text("Edited the greeting after approval.");
            };
        }
        if (prompt.contains("GONE-E2E")) {
            return results == 0 ? Reply.tools(Reply.call("call_gone", "bash", Map.of("command",
                    "echo started >> counter.txt; sleep 60; echo finished >> counter.txt")))
                    : Reply.text("The worker went away; the command may have run.");
        }
        if (prompt.contains("STOP-E2E")) {
            return results == 0 ? Reply.tools(Reply.call("call_stop", "bash", Map.of("command",
                    "echo started >> counter.txt; sleep 60; echo finished >> counter.txt")))
                    : Reply.text("The worker stopped; the command may have run in part.");
        }
        if (prompt.contains("CRASH-E2E")) {
            return results == 0 ? Reply.tools(Reply.call("call_crash", "bash", Map.of("command",
                    "echo started >> counter.txt; sleep 60; echo finished >> counter.txt")))
                    : Reply.text("The command was interrupted; I did not run it again.");
        }
        if (prompt.contains("REPLICA-E2E")) {
            return results == 0 ? Reply.tools(Reply.call("call_replica", "edit", Map.of("path", "greeting.txt",
                    "old_string", "hello world", "new_string", "hello from gateway B")))
                    : Reply.text("Edited through the other replica.");
        }
        return Reply.text("unexpected prompt: " + prompt);
    }

    @Test
    void inApproveModeADenyReachesTheModelAsARefusalAndAnApproveAppliesTheEditOnce() throws Exception {
        Path checkout = checkout("approvals");
        // no --auto-approve: the worker's default (safe = approve) wins even over a task that asks for full access
        Worker worker = Worker.start("e2e-approvals", checkout, gatewayA);
        A2aHttp http = new A2aHttp(gatewayA);
        String contextId = "ctx-" + UUID.randomUUID();
        JsonNode task = http.send(contextId, "APPROVAL-E2E: add an exclamation mark to the greeting",
                Map.of("workspace", Map.of("codebase", "approvals"), "access_mode", "full"));
        String taskId = task.path("id").asText();

        JsonNode asking = awaitTask(http, taskId, t -> approvalRequest(t) != null || terminal(t), worker);
        JsonNode request = approvalRequest(asking);
        assertTrue(request != null && asking.path("status").path("state").asText().equals("TASK_STATE_INPUT_REQUIRED"),
                "the edit waits for approval: " + asking + "\nworker log:\n" + worker.log());
        assertEquals("call_edit_1", request.path("call_id").asText(), request.toString());
        assertEquals("edit", request.path("tool").asText());
        assertEquals("hello world!", request.path("arguments").path("new_string").asText());
        String preview = request.path("preview").asText();
        assertTrue(preview.startsWith("--- a/greeting.txt\n+++ b/greeting.txt\n@@ ")
                && preview.lines().toList().containsAll(List.of("-hello world", "+hello world!")),
                "the preview is the edit's unified diff, computed on the worker: " + preview);
        assertTrue(asking.path("status").path("message").path("parts").toString().contains("Approve edit?"),
                "a sentence for humans beside the DataPart: " + asking.path("status"));
        assertEquals("hello world\n", Files.readString(checkout.resolve("greeting.txt")), "nothing ran yet");

        answer(http, contextId, taskId, "call_edit_1", "deny");
        JsonNode again = awaitTask(http, taskId, t -> terminal(t) || (approvalRequest(t) != null
                && approvalRequest(t).path("call_id").asText().equals("call_edit_2")), worker);
        assertEquals("call_edit_2", approvalRequest(again) == null ? again.toString()
                : approvalRequest(again).path("call_id").asText(), "the model tried again and is asked again");
        RecordedRequest afterDeny = llm.requests().stream().filter(r -> r.rawBody().contains("APPROVAL-E2E")
                && r.toolResults().size() == 1).findFirst().orElseThrow();
        RecordedRequest.ToolResult refusal = afterDeny.toolResults().get(0);
        assertEquals("call_edit_1", refusal.callId());
        assertTrue(refusal.content().contains("The user denied this edit call; it did not run."),
                "the deny reaches the model as the call's refusal: " + refusal.content());
        assertEquals("hello world\n", Files.readString(checkout.resolve("greeting.txt")), "the denied edit never ran");

        answer(http, contextId, taskId, "call_edit_2", "approve");
        JsonNode done = awaitTask(http, taskId, TaskPolls::terminal, worker);
        assertEquals("TASK_STATE_COMPLETED", done.path("status").path("state").asText(), done.toString());
        assertEquals("hello world!\n", Files.readString(checkout.resolve("greeting.txt")),
                "the approved edit is on disk, applied once (twice would be 'hello world!!'); worker log:\n"
                        + worker.log() + "\nwhat the model was sent back: " + llm.requests().stream()
                        .filter(r -> r.rawBody().contains("APPROVAL-E2E")).map(RecordedRequest::toolResults).toList());
        String log = worker.log();
        assertEquals(1, count(log, "call edit on approvals -> ok"), "the worker ran the edit once:\n" + log);
        assertEquals(2, count(log, "preview edit on approvals -> preview"), "one preview per asked call:\n" + log);
        RecordedRequest last = llm.requests().stream().filter(r -> r.rawBody().contains("APPROVAL-E2E")
                && r.toolResults().size() == 2).findFirst().orElseThrow();
        assertEquals("call_edit_2", last.toolResults().get(1).callId());
        assertFalse(last.toolResults().get(1).content().contains("denied"), last.toolResults().get(1).content());
    }

    @Test
    void aWorkerKilledMidCommandAndRestartedNeverRunsTheCommandTwiceAndTheTaskEndsClearly() throws Exception {
        Path checkout = checkout("crash");
        Path state = dirs.resolve("crash-state");
        Worker first = Worker.start("e2e-crash", checkout, gatewayA, "--auto-approve", "all", "--state-dir",
                state.toString());
        A2aHttp http = new A2aHttp(gatewayA);
        JsonNode task = http.send("ctx-" + UUID.randomUUID(), "CRASH-E2E: run the long command",
                Map.of("workspace", Map.of("codebase", "crash"), "access_mode", "full"));
        String taskId = task.path("id").asText();
        Path counter = checkout.resolve("counter.txt");
        long deadline = System.nanoTime() + TASK.toNanos();
        while (!(Files.exists(counter) && Files.readString(counter).equals("started\n"))) {
            assertTrue(System.nanoTime() < deadline, "the command did not start:\n" + first.log());
            Thread.sleep(50);
        }

        ProcessHandle jvm = first.process.toHandle();
        List<ProcessHandle> children = jvm.descendants().toList();
        assertFalse(children.isEmpty(), "the command runs in a child of the worker (bwrap)");
        first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no Deregister, no result
        assertTrue(first.process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, first.process.exitValue(), "killed by SIGKILL (128 + 9)");
        assertTrue(ProcessHandle.of(jvm.pid()).map(h -> !h.isAlive()).orElse(true), "the worker JVM is gone");
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS); // bwrap --die-with-parent takes the sleeping command down
        }

        Worker second = Worker.start("e2e-crash", checkout, gatewayA, "--auto-approve", "all", "--state-dir",
                state.toString());
        JsonNode done = awaitTask(http, taskId, TaskPolls::terminal, second);
        assertInterruptedTask(done, "The command was interrupted; I did not run it again.");
        RecordedRequest told = llm.requests().stream().filter(r -> r.rawBody().contains("CRASH-E2E")
                && r.toolResults().size() == 1).findFirst().orElseThrow();
        assertEquals("call_crash", told.toolResults().get(0).callId());
        assertTrue(told.toolResults().get(0).content().startsWith("INTERRUPTED: this call started before the worker"
                + " restarted and did not finish; it was not run again"), "the reason the model reads: "
                + told.toolResults());
        assertEquals("started\n", Files.readString(counter), "the command's side effect happened exactly once and"
                + " the killed command did not go on");
        String log = second.log();
        assertTrue(log.lines().anyMatch(l -> l.contains("call bash on crash -> interrupted: ")
                && l.contains("this call started before the worker restarted")), "the restarted worker refused the repeat from its start marker:\n"
                + log);
    }

    /**
     * Issue 19: a worker stopped (SIGTERM) in the middle of a command cuts the command off and answers the call
     * INTERRUPTED before it deregisters: the model reads that at once (not after the agent's wait for the worker), the
     * task does not end COMPLETED, and the command never goes on.
     */
    @Test
    void aWorkerStoppedMidCommandAnswersTheCallInterruptedAtOnceAndTheTaskDoesNotComplete() throws Exception {
        Path checkout = checkout("stop");
        Worker worker = Worker.start("e2e-stop", checkout, gatewayA, "--auto-approve", "all");
        A2aHttp http = new A2aHttp(gatewayA);
        JsonNode task = http.send("ctx-" + UUID.randomUUID(), "STOP-E2E: run the long command",
                Map.of("workspace", Map.of("codebase", "stop"), "access_mode", "full"));
        Path counter = checkout.resolve("counter.txt");
        long deadline = System.nanoTime() + TASK.toNanos();
        while (!(Files.exists(counter) && Files.readString(counter).equals("started\n"))) {
            assertTrue(System.nanoTime() < deadline, "the command did not start:\n" + worker.log());
            Thread.sleep(50);
        }
        long stopped = System.nanoTime();
        worker.process.destroy(); // SIGTERM: the shutdown hook stops the command and answers before it deregisters
        assertTrue(worker.process.waitFor(30, TimeUnit.SECONDS), "the worker exits:\n" + worker.log());

        JsonNode done = awaitTask(http, task.path("id").asText(), TaskPolls::terminal,
                worker);
        long tookMs = (System.nanoTime() - stopped) / 1_000_000;
        assertInterruptedTask(done, "The worker stopped; the command may have run in part.");
        RecordedRequest told = llm.requests().stream().filter(r -> r.rawBody().contains("STOP-E2E")
                && r.toolResults().size() == 1).findFirst().orElseThrow();
        String reason = told.toolResults().get(0).content();
        assertTrue(reason.startsWith("INTERRUPTED: the worker was stopped while this call ran"), reason);
        assertTrue(tookMs < WAIT_FOR.toMillis(), "answered by the stopping worker, not after the agent's "
                + WAIT_FOR + " wait: " + tookMs + " ms");
        assertTrue(worker.log().contains("call bash on stop -> interrupted: INTERRUPTED: the worker was stopped"),
                worker.log());
        assertEquals("started\n", Files.readString(counter), "the stopped command did not go on");
    }

    /** A task whose tool call did not complete ends FAILED with the reason and the model's answer, never COMPLETED. */
    private static void assertInterruptedTask(JsonNode done, String answer) {
        assertEquals("TASK_STATE_FAILED", done.path("status").path("state").asText(),
                "a call that did not complete never lets the task end COMPLETED: " + done);
        String text = done.path("status").path("message").path("parts").path(0).path("text").asText();
        assertTrue(text.startsWith("Tool call interrupted: bash (call ") && text.endsWith(answer), done.toString());
    }

    @Test
    void aWorkerKilledMidCommandThatNeverComesBackFailsTheCallWithAClearReasonAfterTheWait() throws Exception {
        Path checkout = checkout("gone");
        Worker worker = Worker.start("e2e-gone", checkout, gatewayA, "--auto-approve", "all");
        A2aHttp http = new A2aHttp(gatewayA);
        JsonNode task = http.send("ctx-" + UUID.randomUUID(), "GONE-E2E: run the long command",
                Map.of("workspace", Map.of("codebase", "gone"), "access_mode", "full"));
        Path counter = checkout.resolve("counter.txt");
        long deadline = System.nanoTime() + TASK.toNanos();
        while (!(Files.exists(counter) && Files.readString(counter).equals("started\n"))) {
            assertTrue(System.nanoTime() < deadline, "the command did not start:\n" + worker.log());
            Thread.sleep(50);
        }
        worker.process.destroyForcibly();
        assertTrue(worker.process.waitFor(10, TimeUnit.SECONDS));
        long killed = System.nanoTime();

        JsonNode done = awaitTask(http, task.path("id").asText(),
                TaskPolls::terminal, worker);
        long waited = System.nanoTime() - killed;
        assertInterruptedTask(done, "The worker went away; the command may have run.");
        RecordedRequest told = llm.requests().stream().filter(r -> r.rawBody().contains("GONE-E2E")
                && r.toolResults().size() == 1).findFirst().orElseThrow();
        String reason = told.toolResults().get(0).content();
        assertTrue(reason.startsWith("INTERRUPTED: the worker serving codebase ")
                && reason.contains("went away during the call") && reason.contains("may or may not have run")
                && reason.contains("codetether.agent.workers.wait-for"), "the reason the model reads: " + reason);
        assertTrue(waited >= WAIT_FOR.toNanos(), "the call waited the configured " + WAIT_FOR + " for the worker");
        assertEquals("started\n", Files.readString(counter), "the killed command did not go on");
    }

    @Test
    void aTaskSentToTheOtherGatewayReplicaRunsOnTheWorkerConnectedToTheFirst() throws Exception {
        Path checkout = checkout("replica");
        Worker worker = Worker.start("e2e-replica", checkout, gatewayA, "--auto-approve", "all");
        A2aHttp onB = new A2aHttp(gatewayB);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode listed = null;
        while (listed == null) {
            for (JsonNode w : A2aHttp.JSON.readTree(onB.get("/v1/workers").body()).path("workers")) {
                listed = w.path("name").asText().equals("e2e-replica") ? w : listed;
            }
            assertTrue(listed != null || System.nanoTime() < deadline, "gateway B never listed the worker");
            Thread.sleep(listed == null ? 100 : 0);
        }
        assertEquals("gw-a", listed.path("gateway_replica").asText(), "B knows A holds the stream: " + listed);

        JsonNode task = onB.send("ctx-" + UUID.randomUUID(), "REPLICA-E2E: greet from B",
                Map.of("workspace", Map.of("codebase", "replica"), "access_mode", "full"));
        JsonNode done = awaitTask(onB, task.path("id").asText(), TaskPolls::terminal,
                worker);
        assertEquals("TASK_STATE_COMPLETED", done.path("status").path("state").asText(), done.toString());
        assertEquals("hello from gateway B\n", Files.readString(checkout.resolve("greeting.txt")));
        assertEquals(1, count(worker.log(), "call edit on replica -> ok"), worker.log());
        assertTrue(worker.log().contains("via replica gw-a"), worker.log());
    }

    /** A real worker process (the CLI jar) serving one codebase, registered before this returns. */
    record Worker(Process process, Path logFile) {
        static Worker start(String name, Path checkout, ServiceProcess gateway, String... extra) throws Exception {
            TerminalClient client = new TerminalClient(dirs.resolve("home-" + name));
            Path logFile = dirs.resolve(name + "-" + UUID.randomUUID() + ".log");
            List<String> args = new ArrayList<>(List.of("worker", "--server", "http://127.0.0.1:" + gateway.grpcPort,
                    "--codebases", checkout.toString(), "--name", name, "--max-backoff", "2"));
            args.addAll(List.of(extra));
            ProcessBuilder pb = new ProcessBuilder(client.command(args.toArray(String[]::new)))
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            pb.environment().putAll(client.env());
            Worker w = new Worker(pb.start(), logFile);
            workers.add(w.process);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!w.log().contains("worker " + name + " (")) { // "worker NAME (wk-...) connected to ..."
                assertTrue(w.process.isAlive(), "the worker exited: " + w.log());
                assertTrue(System.nanoTime() < deadline, "the worker did not register: " + w.log());
                Thread.sleep(50);
            }
            return w;
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }
    }

    private static Path checkout(String name) throws Exception {
        Path checkout = Files.createDirectories(dirs.resolve(name));
        Files.writeString(checkout.resolve("greeting.txt"), "hello world\n");
        Process p = new ProcessBuilder("git", "-C", checkout.toString(), "init", "-q", "-b", "main")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return checkout;
    }

    /** Sends the client's approval answer as the DataPart of a follow-up message on the same task. */
    private static void answer(A2aHttp http, String contextId, String taskId, String callId, String decision)
            throws Exception {
        ObjectNode params = A2aHttp.approvalParams(contextId, taskId, callId, decision);
        http.rpc("SendMessage", params);
    }

    private static JsonNode awaitTask(A2aHttp http, String taskId, Predicate<JsonNode> until, Worker worker)
            throws Exception {
        return TaskPolls.awaitTask(http, taskId, TASK, until, () -> "worker log:\n" + worker.log());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
