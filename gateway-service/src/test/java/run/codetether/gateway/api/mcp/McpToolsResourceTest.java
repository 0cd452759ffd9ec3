package run.codetether.gateway.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.mcp.McpToolCatalog;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;

/**
 * {@code GET /v1/mcp/tools} and {@code codetether/mcp/tools/list}: the catalog an agent-service publishes on the real
 * (in-process) Kafka topic reaches the gateway, scoped by tenant, a failed server with its error; no credentials, no
 * list. The agent side and the CLI against real processes: e2e {@code McpEndToEndTest}.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class McpToolsResourceTest {
    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private void publish(McpToolCatalog catalog) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.MCP_TOOLS, McpToolCatalog.KEY, ContractJson.write(catalog)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private JsonNode awaitListedBy(String agent, String query) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            A2AHttp.Reply r = A2AHttp.send("GET", base.resolve("/v1/mcp/tools" + query), null, A2AHttp.ALICE, null);
            assertEquals(200, r.status(), r.body());
            if (agent.equals(r.json().path("agent").asText())) {
                return r.json();
            }
            assertTrue(System.nanoTime() < deadline, "the published catalog did not arrive: " + r.body());
            Thread.sleep(100);
        }
    }

    @Test
    void thePublishedCatalogIsListedPerTenantWithFailedServersAndTheSameOverJsonRpc() throws Exception {
        String agent = "agent-" + System.nanoTime();
        publish(new McpToolCatalog(agent, Instant.parse("2026-12-04T15:00:00Z"), List.of(
                new McpToolCatalog.Server("docs", List.of(), "http", true, "", List.of(new McpToolCatalog.Tool(
                        "mcp__docs__search", "search", "Search", "Searches the docs.",
                        "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}", true))),
                new McpToolCatalog.Server("acme-db", List.of("acme"), "stdio", false, "cannot start: exit 127",
                        List.of()))));

        JsonNode all = awaitListedBy(agent, "");
        assertEquals("default", all.path("tenant").asText());
        assertEquals("2026-12-04T15:00:00Z", all.path("listed_at").asText());
        assertEquals(1, all.path("servers").size(), "acme-db is acme's only: " + all);
        JsonNode tool = all.path("servers").get(0).path("tools").get(0);
        assertEquals("mcp__docs__search", tool.path("name").asText());
        assertEquals("search", tool.path("tool").asText());
        assertEquals("string", tool.path("input_schema").path("properties").path("q").path("type").asText());
        assertTrue(tool.path("read_only").asBoolean());

        JsonNode acme = awaitListedBy(agent, "?tenant=acme");
        assertEquals(2, acme.path("servers").size(), acme.toString());
        JsonNode failed = acme.path("servers").get(1);
        assertEquals("acme-db", failed.path("name").asText());
        assertFalse(failed.path("ok").asBoolean());
        assertEquals("cannot start: exit 127", failed.path("error").asText());

        JsonNode rpc = A2AHttp.post(base, A2AHttp.rpc(9, McpToolsRpcMethod.METHOD, "{\"tenant\":\"acme\"}"),
                A2AHttp.ALICE, "1.0").json();
        assertEquals(acme, rpc.path("result"), rpc.toString());
        JsonNode bad = A2AHttp.post(base, A2AHttp.rpc(10, McpToolsRpcMethod.METHOD, "{\"tenant\":7}"),
                A2AHttp.ALICE, "1.0").json();
        assertEquals(-32602, bad.path("error").path("code").asInt(), bad.toString());
    }

    @Test
    void withoutCredentialsNothingIsListed() {
        A2AHttp.Reply r = A2AHttp.send("GET", base.resolve("/v1/mcp/tools"), null, null, null);
        assertEquals(401, r.status(), r.body());
        assertEquals("UNAUTHENTICATED", r.json().path("error").path("code").asText(), r.body());
        JsonNode rpc = A2AHttp.post(base, A2AHttp.rpc(11, McpToolsRpcMethod.METHOD, "{}"), null, "1.0").json();
        assertTrue(rpc.has("error"), rpc.toString());
    }
}
