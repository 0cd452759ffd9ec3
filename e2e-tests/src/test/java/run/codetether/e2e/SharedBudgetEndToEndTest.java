package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.platform.json.Json;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Two agent-service processes share a tenant's daily budget (docs/providers.md "Budgets"): on a broker of its own
 * (so no other test's agent joins the worker group), tasks go straight to chosen partitions of
 * {@code tasks.requested}; every model call costs exactly $1.00 (a catalog that prices the scripted model at $1 per
 * million input tokens) and the budget is $2.50. Agent A spends $2, agent B $1; B then refuses the next task though
 * it spent $1 itself, and after both restart (B first, then A stopped) B alone still refuses with the day's $3.
 * A gateway reads the same {@code tenants.spend}: {@code codetether stats} shows the day's $3.00 over 3 tasks to the
 * cent, before and after the restarts, and refuses a tenant the key may not read (exit 3).
 */
class SharedBudgetEndToEndTest {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final String TENANT = "acme";

    @TempDir
    static Path dir;

    static final LocalPlatform platform = new LocalPlatform();
    static EmbeddedKafkaBroker broker;
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agentA;
    static ServiceProcess agentB;
    static ServiceProcess gateway;
    private static final String KEY = "e2e-budget-key-123";
    static KafkaProducer<String, byte[]> producer;
    static EventLog events;

    @BeforeAll
    static void start() throws Exception {
        broker = platform.own(EmbeddedKafkaBroker.temporary()).start().createPlatformTopics(4);
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(r -> Reply.text("spent a dollar").withUsage(1_000_000, 0));
        Path catalog = pricedCatalog();
        tools = platform.tools(dir, Map.of());
        // the key is bound to tenant acme (by the older name codetether.gateway.stats.tenants.<client>, which binds
        // its tasks too now): it reads acme's spend only and its tasks run on acme's budget
        gateway = platform.gateway(broker.bootstrapServers(), Map.of(),
                "-D%local.codetether.gateway.auth.open=false", "-Dcodetether.gateway.auth.api-keys=cfo:" + KEY,
                "-Dcodetether.gateway.stats.tenants.cfo=" + TENANT);
        agentA = agent("budget-a", catalog);
        agentB = agent("budget-b", catalog);
        platform.awaitReady(READY);
        KafkaClients kafka = KafkaClients.forBootstrap(broker.bootstrapServers());
        producer = platform.own(kafka.producer("e2e-budget", new StringSerializer(), new ByteArraySerializer()));
        events = platform.own(new EventLog(broker.bootstrapServers()));
    }

    /** The built-in catalog plus the scripted model at $1.00 per million input tokens. */
    private static Path pricedCatalog() throws Exception {
        ObjectNode catalog;
        try (InputStream in = ModelCatalog.class.getResourceAsStream("catalog.json")) {
            catalog = (ObjectNode) Json.mapper().readTree(in);
        }
        ObjectNode model = ((ArrayNode) catalog.get("models")).addObject();
        model.put("provider", "local").put("id", "scripted-coder").put("context_window", 32768)
                .put("max_output", 4096).put("tool_calls", true).put("default", false);
        model.putObject("price").put("input", 1.0).put("output", 1.0);
        Path file = dir.resolve("catalog.json");
        Files.write(file, Json.mapper().writeValueAsBytes(catalog));
        return file;
    }

    private static ServiceProcess agent(String instanceId, Path catalog) throws Exception {
        return platform.agent(broker.bootstrapServers(), llm.openAiBaseUrl(), tools, dir, Map.of(
                "CODETETHER_AGENT_INSTANCE_ID", instanceId,
                "CODETETHER_MODELS_CATALOG", catalog.toString()),
                "-Dcodetether.agent.budgets.tenants." + TENANT + "=2.5",
                "-Dcodetether.agent.budgets.publish-interval=100ms");
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void aTenantsBudgetIsTheSumOverBothAgentsAndSurvivesTheirRestart() throws Exception {
        awaitWorkers(2);
        // which agent owns which partition: a probe task of a tenant without a budget on each
        Map<Integer, String> owner = new HashMap<>();
        for (int p = 0; p < 4; p++) {
            owner.put(p, run(p, "probe").workerId());
        }
        int onA = partitionOf(owner, "budget-a");
        int onB = partitionOf(owner, "budget-b");

        assertEquals(TaskState.COMPLETED, run(onA, TENANT).status().state());
        assertEquals(TaskState.COMPLETED, run(onA, TENANT).status().state()); // A alone: $2.00
        TaskEvent.StatusChanged third = run(onB, TENANT); // B sees $2.00 < $2.50 and runs: $3.00 in all
        assertEquals(TaskState.COMPLETED, third.status().state());
        assertEquals("budget-b", third.workerId());

        int calls = llm.requests().size();
        TaskEvent.StatusChanged refused = run(onB, TENANT);
        assertEquals("budget-b", refused.workerId(), "refused by the agent that itself spent $1.00");
        assertEquals(TaskState.FAILED, refused.status().state());
        String why = refused.status().message().text();
        assertTrue(why.contains("tenant 'acme' reached its daily budget of $2.50 (spent $3.0000 today"), why);
        assertEquals(calls, llm.requests().size(), "no model call once the sum reached the budget");
        assertStatsShowTheDaysSpend();
        assertTheKeySpendsOnlyItsOwnTenantsBudget(calls);

        // B restarts under its id, then A stops: B alone must still know the day's $3.00 (nothing reset)
        platform.stop(agentB);
        agentB = agent("budget-b", dir.resolve("catalog.json"));
        agentB.awaitReady(READY);
        platform.stop(agentA);
        agentA = null;
        awaitWorkers(1);
        TaskEvent.StatusChanged afterRestart = run(onA, TENANT);
        assertEquals("budget-b", afterRestart.workerId());
        assertEquals(TaskState.FAILED, afterRestart.status().state());
        assertTrue(afterRestart.status().message().text().contains("(spent $3.0000 today"),
                afterRestart.status().message().text());
        assertNotEquals(TaskState.FAILED, run(onA, "probe").status().state(), "another tenant runs on");
        JsonNode after = awaitAcmeDay(3.00);
        assertEquals(3, after.path("tasks").asLong(), "the restarted B recovered its task count: " + after);
    }

    /**
     * {@code codetether stats} through the gateway: the day's $3.00 (3 calls of 1,000,000 input tokens at $1 per
     * million) over 3 tasks and 2 replicas, to the cent, as a table and as JSON; tenant probe is not this key's.
     */
    private static void assertStatsShowTheDaysSpend() throws Exception {
        awaitAcmeDay(3.00);
        Cli table = cli("stats", "--days", "1");
        assertEquals(0, table.exit(), table.err());
        String total = table.out().lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow(
                () -> new AssertionError("no total line:\n" + table.out()));
        assertTrue(total.matches("total\\s+3\\s+3,000,000\\s+0\\s+0\\s+0\\s+\\$3\\.0000"), table.out());
        assertTrue(table.out().contains("scripted-coder"), table.out());

        Cli json = cli("--json", "stats", "--days", "1", "--tenant", TENANT);
        assertEquals(0, json.exit(), json.err());
        JsonNode day = Json.mapper().readTree(json.out()).path("days").get(0);
        assertEquals(TENANT, day.path("tenant").asText());
        assertEquals(300, Math.round(day.path("cost_usd").asDouble() * 100), "to the cent: " + day);
        assertEquals(3, day.path("tasks").asLong());
        assertEquals(3, day.path("calls").asLong());
        assertEquals(3_000_000, day.path("tokens_in").asLong());
        assertEquals(2, day.path("replicas").asInt(), "budget-a's $2.00 and budget-b's $1.00: " + day);

        Cli foreign = cli("stats", "--tenant", "probe");
        assertEquals(3, foreign.exit(), "another tenant's spend is refused: " + foreign.out() + foreign.err());
        assertTrue(foreign.err().contains("may not read the spend of tenant 'probe'"), foreign.err());
    }

    /**
     * Through the gateway, with the key bound to acme: naming tenant probe (which has no budget) is refused before
     * anything is written (JSON-RPC -31003, HTTP 403), and a task naming no tenant runs in acme, whose spent budget
     * refuses it. Neither reaches a model.
     */
    private static void assertTheKeySpendsOnlyItsOwnTenantsBudget(int calls) throws Exception {
        HttpResponse<String> foreign = send("probe", "run on probe's budget");
        assertEquals(403, foreign.statusCode(), foreign.body());
        JsonNode error = Json.mapper().readTree(foreign.body()).path("error");
        assertEquals(-31003, error.path("code").asInt(), foreign.body());
        assertTrue(error.path("message").asText().contains("client 'cfo' is not bound to tenant 'probe'"),
                foreign.body());
        HttpResponse<String> own = send(null, "run on acme's budget");
        assertEquals(200, own.statusCode(), own.body());
        JsonNode task = Json.mapper().readTree(own.body()).path("result").path("task");
        assertEquals("TASK_STATE_FAILED", task.at("/status/state").asText(), own.body());
        assertTrue(task.at("/status/message/parts/0/text").asText()
                .contains("tenant 'acme' reached its daily budget"), own.body());
        assertEquals(calls, llm.requests().size(), "neither task reached a model");
    }

    /** A blocking JSON-RPC SendMessage with the key, naming {@code tenant} (null: none). */
    private static HttpResponse<String> send(String tenant, String text) throws Exception {
        ObjectNode params = A2aHttp.sendParams("ctx-" + UUID.randomUUID(), text, true, Map.of("provider", "local"));
        if (tenant != null) {
            params.put("tenant", tenant);
        }
        ObjectNode body = A2aHttp.JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
                .put("method", "SendMessage");
        body.set("params", params);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port
                + "/")).header("Content-Type", "application/json").header("A2A-Version", "1.0")
                .header("X-API-Key", KEY).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the gateway serves acme's day (today, UTC) at {@code usd}; returns that day. */
    private static JsonNode awaitAcmeDay(double usd) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port
                    + "/v1/stats?tenant=" + TENANT + "&from=" + LocalDate.now(ZoneOffset.UTC))).header("X-API-Key", KEY)
                    .build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode day = Json.mapper().readTree(r.body()).path("days").path(0);
                if (Math.abs(day.path("cost_usd").asDouble() - usd) < 1e-9) {
                    return day;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway never served acme's $" + usd + ": " + last);
    }

    private record Cli(int exit, String out, String err) {}

    private static Cli cli(String... args) throws Exception {
        TerminalClient client = new TerminalClient(dir.resolve("cli-home"));
        List<String> cmd = new ArrayList<>(client.command("--url", "http://127.0.0.1:" + gateway.port, "--api-key",
                KEY));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                "/dev/null")));
        pb.environment().putAll(client.env());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI ended");
        return new Cli(p.exitValue(), out, err.get());
    }

    /** Waits until the worker group is stable with {@code n} members that each own partitions. */
    private static void awaitWorkers(int n) throws Exception {
        try (Admin admin = KafkaClients.forBootstrap(broker.bootstrapServers()).admin("e2e-budget-admin")) {
            long deadline = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of("agent-workers"))
                        .describedGroups().get("agent-workers").get();
                if (g.groupState() == GroupState.STABLE && g.members().size() == n
                        && g.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the agent-workers group never had " + n + " members with partitions");
    }

    private static int partitionOf(Map<Integer, String> owner, String worker) {
        return owner.entrySet().stream().filter(e -> worker.equals(e.getValue())).mapToInt(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(worker + " owns no partition: " + owner));
    }

    /** Publishes a task on one partition of tasks.requested and waits for its final status. */
    private static TaskEvent.StatusChanged run(int partition, String tenant) throws Exception {
        String taskId = "t-" + UUID.randomUUID();
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("spend")), null, null,
                null, null, null);
        TaskCommand.StartTask start = new TaskCommand.StartTask(taskId, "ctx-" + taskId, tenant, m, "local", null,
                null, null, null, null, Map.of(), null);
        producer.send(new ProducerRecord<>(Topics.TASKS_REQUESTED, partition, start.contextId(),
                ContractJson.write(start))).get();
        return events.await(e -> e.event().taskId().equals(taskId) && e.event() instanceof TaskEvent.StatusChanged s
                && s.status().state().isTerminal(), Duration.ofSeconds(90))
                .map(e -> (TaskEvent.StatusChanged) e.event())
                .orElseThrow(() -> new AssertionError("task " + taskId + " on partition " + partition
                        + " did not end within 90 s"));
    }
}
