package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * A swarm through real processes: the A2A client asks the gateway with the swarm skill -> swarm.requested ->
 * swarm-service decomposes with the LLM into a two-stage DAG -> subtasks on tasks.requested -> agent-service runs
 * each -> results back on tasks.events -> swarm-service aggregates -> the swarm's A2A task completes.
 */
class SwarmEndToEndTest {
    private static final String PLAN = """
            {"subtasks":[
              {"id":"a","title":"first","instruction":"Handle part ALPHA","depends_on":[]},
              {"id":"b","title":"second","instruction":"Handle part BETA","depends_on":[]},
              {"id":"c","title":"join","instruction":"Combine into GAMMA","depends_on":["a","b"]}]}""";

    @TempDir
    static Path workspaces;

    static final LocalPlatform platform = new LocalPlatform();
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess swarm;
    static ServiceProcess gateway;
    static A2aHttp a2a;

    @BeforeAll
    static void startPlatform() throws Exception {
        String kafka = SharedKafkaBroker.bootstrapServers();
        llm = platform.own(ScriptedLlmServer.start());
        llm.respondWith(SwarmEndToEndTest::answer);
        tools = platform.tools(workspaces, Map.of());
        gateway = platform.gateway(kafka, Map.of());
        swarm = platform.swarm(kafka, llm.openAiBaseUrl());
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, workspaces);
        platform.awaitReady(Duration.ofSeconds(120));
        a2a = new A2aHttp(gateway);
    }

    /** The decomposer asks for JSON (response_format); sub-agents get a one-line answer naming their part. */
    private static Reply answer(RecordedRequest request) {
        String body = request.rawBody();
        if (body.contains("response_format")) {
            return Reply.text(PLAN);
        }
        for (String part : List.of("GAMMA", "ALPHA", "BETA")) {
            if (body.contains(part)) {
                return Reply.text("done: " + part);
            }
        }
        return Reply.text("done");
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void aTwoStageSwarmRunsOnAgentWorkersAndAggregates() throws Exception {
        JsonNode sent = a2a.send("ctx-" + UUID.randomUUID(), "Refactor the three modules",
                Map.of("skill", "swarm", "strategy", "stage", "provider", "local"));
        String taskId = sent.path("id").asText();

        JsonNode task = a2a.awaitFinal(taskId, Duration.ofSeconds(120), swarm, agent, gateway);

        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText(), task.toPrettyString());
        String all = task.toString();
        for (String part : List.of("done: ALPHA", "done: BETA", "done: GAMMA")) {
            assertTrue(all.contains(part), part + " missing from the aggregated answer: " + task.toPrettyString());
        }
        List<RecordedRequest> requests = llm.requests();
        int alpha = indexOf(requests, "ALPHA", "GAMMA");
        int beta = indexOf(requests, "BETA", "GAMMA");
        int gamma = indexOf(requests, "GAMMA", null);
        assertTrue(requests.get(0).rawBody().contains("response_format"), "the decomposer asked first");
        assertTrue(gamma > alpha && gamma > beta, "the second stage ran after the first: " + alpha + "," + beta + "," + gamma);
    }

    private static int indexOf(List<RecordedRequest> requests, String part, String unless) {
        for (int i = 1; i < requests.size(); i++) {
            String body = requests.get(i).rawBody();
            if (body.contains(part) && (unless == null || !body.contains(unless)) && !body.contains("response_format")) {
                return i;
            }
        }
        throw new AssertionError("no sub-agent request for " + part);
    }
}
