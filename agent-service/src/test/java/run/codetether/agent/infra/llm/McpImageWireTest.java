package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.mcp.McpServerPolicy;
import run.codetether.agent.domain.mcp.McpServerSpec;
import run.codetether.agent.domain.mcp.McpToolSource;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.infra.tools.GrpcMcpTools;
import run.codetether.agent.support.FileToolsGrpcServer;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsResponse;
import run.codetether.contracts.tools.v1.McpBinary;
import run.codetether.contracts.tools.v1.McpContent;
import run.codetether.contracts.tools.v1.McpServerStatus;
import run.codetether.contracts.tools.v1.McpTool;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.mcp.McpHttpTestServer;
import run.codetether.fixtures.mcp.McpTestTools;
import run.codetether.platform.secrets.FileSecretSource;

/**
 * An MCP tool's image reaches a vision model as an image: a real MCP server (the official SDK's, over streamable
 * HTTP) answers {@code picture} with a PNG; tools-service's MCP side is its answer over real gRPC (bytes, as
 * tools-service sends them, McpGrpcTest proves that leg); the scripted provider server records what the agent sent.
 * OpenAI's wire takes images only from the user, so they follow the tool message as a user message; Anthropic's takes
 * them inside the {@code tool_result}. A model the catalog does not mark as reading images gets the text line only.
 */
class McpImageWireTest {

    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    McpHttpTestServer server;
    McpSyncClient client;

    static final McpServerSpec PICS = new McpServerSpec("pics", null, null, null, null, "http://127.0.0.1/mcp",
            Map.of(), List.of(), null, false);

    @BeforeEach
    void realMcpServerBehindTheToolsServiceRpcs() {
        server = McpHttpTestServer.start();
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").jsonMapper(McpTestTools.JSON).build()).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        h.tools.mcp(new FileToolsGrpcServer.McpSide() {
            @Override
            public ListMcpToolsResponse list(ListMcpToolsRequest r) {
                var b = ListMcpToolsResponse.newBuilder();
                for (McpSchema.Tool t : client.listTools().tools()) {
                    b.addTools(McpTool.newBuilder().setServer("pics").setName(t.name())
                            .setDescription(t.description() == null ? "" : t.description())
                            .setInputSchemaJson("{\"type\":\"object\",\"properties\":{}}"));
                }
                return b.addServers(McpServerStatus.newBuilder().setServer("pics").setOk(true)).build();
            }

            @Override
            public CallMcpToolResponse call(CallMcpToolRequest r) {
                McpSchema.CallToolResult res = client.callTool(new McpSchema.CallToolRequest(r.getTool(), Map.of()));
                var b = CallMcpToolResponse.newBuilder().setCallId(r.getCallId()).setOk(true);
                for (McpSchema.Content c : res.content()) {
                    switch (c) {
                        case McpSchema.TextContent t -> b.addContent(McpContent.newBuilder().setText(t.text()));
                        case McpSchema.ImageContent i -> b.addContent(McpContent.newBuilder().setImage(McpBinary
                                .newBuilder().setMimeType(i.mimeType())
                                .setData(ByteString.copyFrom(Base64.getDecoder().decode(i.data())))));
                        default -> throw new AssertionError("unexpected content " + c);
                    }
                }
                return b.build();
            }
        });
    }

    @AfterEach
    void close() {
        client.closeGracefully();
        server.close();
    }

    private ProviderResolver resolver() throws Exception {
        Map<String, ProviderSettings> s = new HashMap<>();
        s.put("openai", ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()));
        s.put("deepseek", ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()));
        s.put("anthropic", ProviderSettings.defaults().withBaseUrl(h.llm.anthropicBaseUrl()));
        s.put("github-copilot", ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()));
        Map<String, Map<String, String>> keys = new HashMap<>(Providers.allKeys());
        keys.put("openai", Map.of("api_key", "sk-openai-test-0123456789"));
        keys.put("deepseek", Map.of("api_key", "sk-deepseek-test-0123456789"));
        keys.put("github-copilot", Map.of("api_key", "gho_copilot-test-0123456789"));
        Providers.write(h.secrets, keys);
        return new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(h.secrets), 0, Duration.ofSeconds(1));
    }

    /** Runs a task on {@code provider} whose model calls {@code picture}; returns the model's second request. */
    private RecordedRequest runPicture(String provider) throws Exception {
        String task = "t-" + provider;
        h.llm.enqueue(Reply.tools(Reply.call("p1", "mcp__pics__picture", Map.of())), Reply.text("a pixel"));
        McpToolSource source = new McpToolSource(new McpServerPolicy(List.of(new McpServerPolicy.TenantServer(PICS,
                Set.of())), McpServerPolicy.TaskServers.NONE), new GrpcMcpTools("127.0.0.1", h.tools.port()),
                Duration.ofSeconds(20), Duration.ofSeconds(60), Clock.systemUTC());
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("show the picture")),
                null, null, null, null, Map.of());
        h.run(h.loop(resolver(), List.of(source)), new TaskCommand.StartTask(task, "ctx-" + task, null, m, provider,
                null, null, null, null, null, Map.of(), null));
        assertEquals(TaskState.COMPLETED, h.finalOf(task).status().state(), () -> h.finalOf(task).toString());
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(2, reqs.size());
        return reqs.get(1);
    }

    @Test
    void openAiGetsTheImageAsAnImageUrlPartOfAUserMessageAfterTheToolMessage() throws Exception {
        RecordedRequest second = runPicture("openai");
        JsonNode messages = second.body().get("messages");
        int tool = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("tool".equals(messages.get(i).path("role").asText())) {
                tool = i;
            }
        }
        assertTrue(tool >= 0, messages::toString);
        assertEquals("p1", messages.get(tool).path("tool_call_id").asText());
        assertTrue(messages.get(tool).path("content").asText().contains("[image image/png, 70 bytes]"),
                messages.get(tool)::toString);
        JsonNode user = messages.get(tool + 1);
        assertEquals("user", user.path("role").asText(), messages::toString);
        List<String> urls = new ArrayList<>();
        user.path("content").forEach(p -> {
            if ("image_url".equals(p.path("type").asText())) {
                urls.add(p.path("image_url").path("url").asText());
            }
        });
        assertEquals(List.of("data:image/png;base64," + McpTestTools.PNG_BASE64), urls, user::toString);
        assertTrue(user.path("content").get(0).path("text").asText().contains("mcp__pics__picture"), user::toString);
    }

    @Test
    void anthropicGetsTheImageInsideTheToolResult() throws Exception {
        RecordedRequest second = runPicture("anthropic");
        JsonNode toolResult = null;
        for (JsonNode msg : second.body().get("messages")) {
            for (JsonNode block : msg.path("content")) {
                if ("tool_result".equals(block.path("type").asText())) {
                    toolResult = block;
                }
            }
        }
        assertTrue(toolResult != null, second::bodyText);
        assertEquals("p1", toolResult.path("tool_use_id").asText());
        JsonNode image = null;
        boolean text = false;
        for (JsonNode part : toolResult.path("content")) {
            if ("image".equals(part.path("type").asText())) {
                image = part;
            }
            text |= part.path("text").asText().contains("a transparent pixel");
        }
        assertTrue(text, toolResult::toString);
        assertTrue(image != null, toolResult::toString);
        assertEquals("base64", image.path("source").path("type").asText());
        assertEquals("image/png", image.path("source").path("media_type").asText());
        assertEquals(McpTestTools.PNG_BASE64, image.path("source").path("data").asText());
    }

    @Test
    void copilotGetsTheImageWithItsVisionHeaderAsAnAgentInitiatedRequest() throws Exception {
        RecordedRequest second = runPicture("github-copilot");
        assertTrue(second.bodyText().contains("data:image/png;base64," + McpTestTools.PNG_BASE64), second::bodyText);
        assertEquals("true", second.header("Copilot-Vision-Request"));
        assertEquals("agent", second.header("X-Initiator"), "the images' user message continues the agent's turn");
        assertEquals(null, h.llm.requests().get(0).header("Copilot-Vision-Request"), "no image in the first request");
    }

    @Test
    void aModelThatReadsNoImagesGetsTheTextLineOnly() throws Exception {
        RecordedRequest second = runPicture("deepseek");
        assertFalse(second.bodyText().contains(McpTestTools.PNG_BASE64), "no image data for a text-only model");
        assertFalse(second.bodyText().contains("image_url"), second::bodyText);
        assertEquals("[image image/png, 70 bytes]\na transparent pixel", LoopHarness.lastResult(second));
    }
}
