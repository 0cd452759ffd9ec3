package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Failure;
import run.codetether.gateway.support.binding.LiveStream;
import run.codetether.gateway.support.binding.Params;

/**
 * Tenants bound to API keys on every binding (docs/a2a.md "Tenants"; test application.properties: acme-bot is bound
 * to acme, globex-bot to globex and globex-eu, bob has no entry, ops is an admin): a new task goes to the key's
 * default tenant, so its budget is the one charged (the agent charges the command's tenant); naming another tenant
 * is PERMISSION_DENIED and writes nothing; another tenant's task reads as not found whatever it names; a task in a
 * named tenant is read, subscribed to and canceled by every key bound to it (acme-ci beside acme-bot) and by an
 * admin, while tenant default (alice is bound to it, bob is not) stays per key.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class TenantBindingConformanceTest {
    static final String ACME = "test-key-acme-bot-1";
    static final String GLOBEX = "test-key-globex-bot-2";
    static final String OPS = "test-key-ops-890123";
    static final String ACME_CI = "test-key-acme-ci-3";

    @BeforeAll
    static void worker() {
        ScriptedWorker.shared(); // the tasks run on the stand-in worker (alone, no other class has started it)
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aTaskNamingNoTenantRunsInTheKeysDefaultTenantAndOnlyItsKeySeesIt(Binding b) {
        String text = "echo acme default " + UUID.randomUUID();
        String id = b.as(ACME).call(Operation.SEND, Params.send(text)).ok().at("/task/id").asText();
        assertEquals("acme", startOf(text).tenant(), "the task's (and its budget's) tenant is the key's default");
        assertEquals(id, b.as(ACME).call(Operation.GET, Params.id(id)).ok().path("id").asText());
        b.as(GLOBEX).call(Operation.GET, Params.id(id)).fails("TASK_NOT_FOUND");
        b.as(GLOBEX).call(Operation.CANCEL, Params.id(id)).fails("TASK_NOT_FOUND");
        b.as(GLOBEX).call(Operation.PUSH_LIST, Params.taskId(id)).fails("TASK_NOT_FOUND");

        String plain = "echo bob default " + UUID.randomUUID();
        b.as(A2AHttp.BOB).call(Operation.SEND, Params.send(plain)).ok();
        assertNull(startOf(plain).tenant(), "a key without an entry runs in tenant default (none on the wire)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#withTenants")
    void aTenantTheKeyIsNotBoundToIsRefusedOnEveryOperationAndNothingIsWritten(Binding b) {
        String text = "echo on globex's budget " + UUID.randomUUID();
        Failure refused = b.as(ACME).call(Operation.SEND, withTenant(Params.send(text), "globex"))
                .fails("PERMISSION_DENIED");
        assertTrue(refused.message().contains("client 'acme-bot' is not bound to tenant 'globex'")
                && refused.message().contains("tenant acme"), refused.message());
        try (LiveStream s = b.as(ACME).stream(Operation.STREAM, withTenant(Params.send(text), "globex"))) {
            assertEquals("PERMISSION_DENIED", s.failure().reason());
        }
        b.as(A2AHttp.BOB).call(Operation.SEND, withTenant(Params.send(text), "acme")).fails("PERMISSION_DENIED");

        // a live task of acme-bot: globex-bot cannot find it without a tenant, and may not name acme
        JsonNode task = Conformance.submit(b.as(ACME), "hang");
        String id = task.get("id").asText();
        Await.until(() -> b.as(ACME).call(Operation.GET, Params.id(id)).ok(),
                t -> t.at("/status/state").asText().equals("TASK_STATE_WORKING"), Duration.ofSeconds(20),
                b + ": task " + id + " working");
        try (LiveStream s = b.as(GLOBEX).stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertEquals("TASK_NOT_FOUND", s.failure().reason());
        }
        try (LiveStream s = b.as(GLOBEX).stream(Operation.SUBSCRIBE, Params.id(id, "tenant", "acme"))) {
            assertEquals("PERMISSION_DENIED", s.failure().reason());
        }
        b.as(GLOBEX).call(Operation.GET, Params.id(id, "tenant", "acme")).fails("PERMISSION_DENIED");
        b.as(GLOBEX).call(Operation.GET, Params.id(id, "tenant", "globex-eu")).fails("TASK_NOT_FOUND");
        b.as(GLOBEX).call(Operation.CANCEL, Params.id(id, "tenant", "acme")).fails("PERMISSION_DENIED");
        b.as(GLOBEX).call(Operation.LIST, Params.of("tenant", "acme")).fails("PERMISSION_DENIED");
        b.as(GLOBEX).call(Operation.PUSH_LIST, Params.taskId(id, "tenant", "acme")).fails("PERMISSION_DENIED");
        b.as(GLOBEX).call(Operation.PUSH_CREATE, Params.taskId(id, "url", "http://127.0.0.1:9/hook", "tenant", "acme"))
                .fails("PERMISSION_DENIED");
        assertEquals(0, b.as(GLOBEX).call(Operation.LIST, Params.of("contextId", task.get("contextId").asText())).ok()
                .path("tasks").size(), "globex-bot lists none of acme-bot's tasks");
        assertEquals(1, b.as(ACME).call(Operation.LIST, Params.of("tenant", "acme", "contextId",
                task.get("contextId").asText())).ok().path("tasks").size());
        assertEquals("TASK_STATE_CANCELED", b.as(ACME).call(Operation.CANCEL, Params.id(id, "tenant", "acme")).ok()
                .at("/status/state").asText(), "its own key cancels it");

        // an admin may name any tenant; a key with several tenants names its second
        String admin = "echo ops on globex " + UUID.randomUUID();
        b.as(OPS).call(Operation.SEND, withTenant(Params.send(admin), "globex")).ok();
        assertEquals("globex", startOf(admin).tenant());
        String second = "echo globex-eu " + UUID.randomUUID();
        b.as(GLOBEX).call(Operation.SEND, withTenant(Params.send(second), "globex-eu")).ok();
        assertEquals("globex-eu", startOf(second).tenant());

        assertTrue(ScriptedWorker.shared().commands.stream().noneMatch(c -> c instanceof TaskCommand.StartTask s
                && s.message().text().equals(text)), "no refused message reached a worker");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aTaskBelongsToItsTenantEveryKeyOfTheTenantAndAnAdminReadsSubscribesAndCancelsIt(Binding b) {
        JsonNode task = Conformance.submit(b.as(ACME), "hang");
        String id = task.get("id").asText();
        String context = task.get("contextId").asText();
        Await.until(() -> b.as(ACME_CI).call(Operation.GET, Params.id(id)).ok(),
                t -> t.at("/status/state").asText().equals("TASK_STATE_WORKING"), Duration.ofSeconds(20),
                b + ": acme-bot's task " + id + " working, read by acme-ci");
        if (b.supports(Binding.Feature.LIST_TASKS)) { // A2A 0.3 has no ListTasks
            assertEquals(1, b.as(ACME_CI).call(Operation.LIST, Params.of("contextId", context)).ok().path("tasks")
                    .size(), "acme-ci lists acme-bot's task");
        }
        assertEquals(id, b.as(OPS).call(Operation.GET, Params.id(id)).ok().path("id").asText(), "an admin reads it");
        b.as(GLOBEX).call(Operation.GET, Params.id(id)).fails("TASK_NOT_FOUND");
        if (b.supports(Binding.Feature.TENANTS)) { // A2A 0.3 names no tenant
            b.as(A2AHttp.ALICE).call(Operation.GET, Params.id(id, "tenant", "acme")).ok(); // alice is bound to acme too
        }
        try (LiveStream s = b.as(ACME_CI).stream(Operation.SUBSCRIBE, Params.id(id))) {
            assertNull(s.failure(), "acme-ci subscribes to acme-bot's task");
            JsonNode first = s.next();
            assertEquals("task", LiveStream.kind(first), "a subscription starts with the task: " + first);
            assertEquals(id, first.at("/task/id").asText());
        }
        assertEquals("TASK_STATE_CANCELED", b.as(ACME_CI).call(Operation.CANCEL, Params.id(id)).ok()
                .at("/status/state").asText(), "another key of the tenant cancels it");

        // tenant default is every unbound key's: a task there stays its key's (and an admin's)
        String plain = "echo bob's own " + UUID.randomUUID();
        String bobs = b.as(A2AHttp.BOB).call(Operation.SEND, Params.send(plain)).ok().at("/task/id").asText();
        b.as(A2AHttp.ALICE).call(Operation.GET, Params.id(bobs)).fails("TASK_NOT_FOUND");
        assertEquals(bobs, b.as(OPS).call(Operation.GET, Params.id(bobs)).ok().path("id").asText());
    }

    private static ObjectNode withTenant(ObjectNode params, String tenant) {
        params.put("tenant", tenant);
        return params;
    }

    private static TaskCommand.StartTask startOf(String text) {
        return Await.until(() -> ScriptedWorker.shared().commands.stream()
                .filter(c -> c instanceof TaskCommand.StartTask s && s.message().text().equals(text))
                .map(TaskCommand.StartTask.class::cast).findFirst().orElse(null), s -> s != null,
                Duration.ofSeconds(20), "the start of '" + text + "' on tasks.requested");
    }
}
