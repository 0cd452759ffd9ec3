package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 */
class SharedBudgetEndToEndTest {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final String TENANT = "acme";

    @TempDir
    static Path dir;

    static EmbeddedKafkaBroker broker;
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agentA;
    static ServiceProcess agentB;
    static KafkaProducer<String, byte[]> producer;
    static KafkaConsumer<String, byte[]> events;
    static final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.temporary().start().createPlatformTopics(4);
        llm = ScriptedLlmServer.start();
        llm.respondWith(r -> Reply.text("spent a dollar").withUsage(1_000_000, 0));
        Path catalog = pricedCatalog();
        tools = ServiceProcess.start("tools-service", Map.of("CODETETHER_TOOLS_WORKSPACE_ROOT", dir.toString()));
        tools.awaitReady(READY);
        agentA = agent("budget-a", catalog);
        agentB = agent("budget-b", catalog);
        agentA.awaitReady(READY);
        agentB.awaitReady(READY);
        KafkaClients kafka = KafkaClients.forBootstrap(broker.bootstrapServers());
        producer = kafka.producer("e2e-budget", new StringSerializer(), new ByteArraySerializer());
        events = kafka.consumer("e2e-budget-events", Optional.empty(), Map.of(), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> parts = events.partitionsFor(Topics.TASKS_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        events.assign(parts);
        events.seekToBeginning(parts);
        toClose.addAll(List.of(producer, events, llm, tools));
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
        return ServiceProcess.start("agent-service", Map.of(
                "CODETETHER_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "CODETETHER_LOCAL_BASE_URL", llm.openAiBaseUrl(),
                "CODETETHER_LOCAL_MODEL", "scripted-coder",
                "CODETETHER_AGENT_TOOLS_HOST", "127.0.0.1",
                "CODETETHER_AGENT_TOOLS_PORT", String.valueOf(tools.port),
                "CODETETHER_TOOL_ROUTER_ENABLED", "false",
                "CODETETHER_SECRETS_FILE", dir.resolve("no-secrets.json").toString(),
                "CODETETHER_AGENT_INSTANCE_ID", instanceId,
                "CODETETHER_MODELS_CATALOG", catalog.toString()),
                "-Dcodetether.agent.budgets.tenants." + TENANT + "=2.5",
                "-Dcodetether.agent.budgets.publish-interval=100ms");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] {agentA, agentB}) {
            if (p != null) {
                p.close();
            }
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
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

        // B restarts under its id, then A stops: B alone must still know the day's $3.00 (nothing reset)
        agentB.close();
        agentB = agent("budget-b", dir.resolve("catalog.json"));
        agentB.awaitReady(READY);
        agentA.close();
        agentA = null;
        awaitWorkers(1);
        TaskEvent.StatusChanged afterRestart = run(onA, TENANT);
        assertEquals("budget-b", afterRestart.workerId());
        assertEquals(TaskState.FAILED, afterRestart.status().state());
        assertTrue(afterRestart.status().message().text().contains("(spent $3.0000 today"),
                afterRestart.status().message().text());
        assertNotEquals(TaskState.FAILED, run(onA, "probe").status().state(), "another tenant runs on");
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
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                if (taskId.equals(r.key()) && ContractJson.read(r.value(), TaskEvent.class)
                        instanceof TaskEvent.StatusChanged s && s.status().state().isTerminal()) {
                    return s;
                }
            }
        }
        throw new AssertionError("task " + taskId + " on partition " + partition + " did not end within 90 s");
    }
}
