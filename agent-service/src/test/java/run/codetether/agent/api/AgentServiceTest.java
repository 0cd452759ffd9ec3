package run.codetether.agent.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.FileToolsGrpcServer;
import run.codetether.agent.support.KafkaEvents;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * The packaged wiring: Quarkus config, the Vault extension reading the provider key, the worker on the real
 * tasks.requested / tasks.control / tasks.events topics, the sessions API and the Micrometer metrics.
 */
@QuarkusTestResource(value = AgentTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class AgentServiceTest {
    static ScriptedLlmServer llm;
    static FileToolsGrpcServer tools;
    static KafkaEvents gateway;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void surroundings() throws Exception {
        synchronized (AgentServiceTest.class) {
            if (llm == null) {
                llm = ScriptedLlmServer.start(Integer.getInteger("ct.it.llm.port"));
                tools = new FileToolsGrpcServer(Files.createTempDirectory("ct-ws"), Integer.getInteger("ct.it.tools.port"));
                gateway = new KafkaEvents(bootstrap, Topics.TASKS_REQUESTED);
            }
        }
        llm.reset();
    }

    @Test
    void aTaskOnKafkaRunsWithTheKeyFromVaultAndIsListedInSessions() throws Exception {
        String ctx = "ctx-q-" + UUID.randomUUID();
        Files.writeString(tools.workspace(ctx).resolve("readme.md"), "# CodeTether");
        llm.requireApiKey(AgentTestResource.VAULT_KEY)
                .enqueue(Reply.tools(Reply.call("r1", "read_file", Map.of("path", "readme.md"))), Reply.text("It is CodeTether"));
        gateway.send(Commands.start("t-q1", ctx, null, "what is this project?"));
        TaskEvent.StatusChanged last = gateway.awaitFinal("t-q1", Duration.ofSeconds(60));
        assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
        assertEquals("quarkus-test-worker", last.workerId());
        assertTrue(llm.requests().get(1).toolResults().get(0).content().contains("# CodeTether"));
        assertTrue(llm.requests().get(0).toolNames().contains("rlm"), "AgentProducers wires the rlm loop tool");

        HttpResponse<String> vaultCalls = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(System.getProperty("ct.it.vault.addr") + "/v1/secret/data/codetether/providers/moonshotai"))
                .header("X-Vault-Token", AgentTestResource.VAULT_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, vaultCalls.statusCode(), "the key really lives in the Vault double");

        given().get("/sessions").then().statusCode(200).body("contextId", hasItem(ctx));
        given().get("/sessions/" + ctx).then().statusCode(200)
                .body("messages.size()", equalTo(4))
                .body("tasks.'t-q1'.state", equalTo("COMPLETED"));
        given().get("/sessions/no-such-context").then().statusCode(404).body("error", containsString("no session"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("codetether_agent_tasks_total{model=\"kimi-k2.5\",provider=\"moonshotai\",state=\"completed\"}"))
                .body(containsString("codetether_agent_model_call_seconds_count"));
    }

    @Test
    void aCancelOnTasksControlStopsTheRunningTask() throws Exception {
        String ctx = "ctx-q-" + UUID.randomUUID();
        llm.enqueue(Reply.text("never").withDelay(Duration.ofSeconds(30)));
        gateway.send(Commands.start("t-q2", ctx, "moonshotai", "take your time"));
        while (llm.requests().isEmpty()) {
            Thread.sleep(10);
        }
        gateway.cancel("t-q2", ctx);
        TaskEvent.StatusChanged last = gateway.awaitFinal("t-q2", Duration.ofSeconds(10));
        assertEquals(TaskState.CANCELED, last.status().state());
    }
}
