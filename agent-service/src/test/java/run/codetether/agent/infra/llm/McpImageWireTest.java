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
import java.nio.file.Files;
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
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.mcp.McpServerPolicy;
import run.codetether.agent.domain.mcp.McpServerSpec;
import run.codetether.agent.domain.mcp.McpToolSource;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.TaskMetrics;
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
        s.put("xai", ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()));
        s.put("openrouter", ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()));
        s.put("azure-openai", ProviderSettings.defaults().withBaseUrl(h.llm.baseUrl()));
        s.put("google", ProviderSettings.defaults().withBaseUrl(h.llm.geminiBaseUrl()));
        s.put("bedrock", ProviderSettings.defaults().withBaseUrl(h.llm.bedrockEndpoint()));
        Map<String, Map<String, String>> keys = new HashMap<>(Providers.allKeys());
        keys.put("openai", Map.of("api_key", "sk-openai-test-0123456789"));
        keys.put("deepseek", Map.of("api_key", "sk-deepseek-test-0123456789"));
        keys.put("github-copilot", Map.of("api_key", "gho_copilot-test-0123456789"));
        keys.put("xai", Map.of("api_key", "xai-test-0123456789"));
        keys.put("openrouter", Map.of("api_key", "sk-or-test-0123456789"));
        keys.put("azure-openai", Map.of("api_key", "azure-test-0123456789"));
        Providers.write(h.secrets, keys);
        return new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(h.secrets), 0, Duration.ofSeconds(1));
    }

    /** Runs a task on {@code provider} whose model calls {@code picture}; returns the model's second request. */
    private RecordedRequest runPicture(String provider) throws Exception {
        return runPicture(provider, null);
    }

    /** As {@link #runPicture(String)} on a named model ({@code null}: the provider's default). */
    private RecordedRequest runPicture(String provider, String model) throws Exception {
        String task = "t-" + provider;
        int before = h.llm.requests().size();
        h.llm.enqueue(Reply.tools(Reply.call("p1", "mcp__pics__picture", Map.of())), Reply.text("a pixel"));
        McpToolSource source = source();
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("show the picture")),
                null, null, null, null, Map.of());
        h.run(h.loop(resolver(), List.of(source)), new TaskCommand.StartTask(task, "ctx-" + task, null, m, provider,
                model, null, null, null, null, Map.of(), null));
        assertEquals(TaskState.COMPLETED, h.finalOf(task).status().state(), () -> h.finalOf(task).toString());
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(before + 2, reqs.size());
        return reqs.get(before + 1);
    }

    /** The {@code pics} server's tools, through the tools-service RPCs of the harness. */
    private McpToolSource source() {
        return new McpToolSource(new McpServerPolicy(List.of(new McpServerPolicy.TenantServer(PICS, Set.of())),
                McpServerPolicy.TaskServers.NONE), new GrpcMcpTools("127.0.0.1", h.tools.port()),
                Duration.ofSeconds(20), Duration.ofSeconds(60), Clock.systemUTC());
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
    void geminiGetsTheImageAsInlineDataInAUserTurnAfterTheFunctionResponse() throws Exception {
        RecordedRequest second = runPicture("google");
        JsonNode contents = second.body().get("contents");
        int response = -1;
        for (int i = 0; i < contents.size(); i++) {
            for (JsonNode part : contents.get(i).path("parts")) {
                if (part.has("functionResponse")) {
                    response = i;
                }
            }
        }
        assertTrue(response >= 0, contents::toString);
        assertTrue(LoopHarness.lastResult(second).contains("[image image/png, 70 bytes]"), second::bodyText);
        JsonNode inline = null;
        for (int i = response; i < contents.size(); i++) {
            for (JsonNode part : contents.get(i).path("parts")) {
                if (part.has("inlineData")) {
                    inline = part.get("inlineData");
                    assertEquals("user", contents.get(i).path("role").asText(), contents::toString);
                }
            }
        }
        assertTrue(inline != null, contents::toString);
        assertEquals("image/png", inline.path("mimeType").asText());
        assertEquals(McpTestTools.PNG_BASE64, inline.path("data").asText());
    }

    @Test
    void bedrockGetsTheImageAsAConverseImageBlockInsideTheToolResult() throws Exception {
        RecordedRequest second = runPicture("bedrock");
        JsonNode toolResult = null;
        JsonNode messages = second.body().get("messages");
        for (JsonNode msg : messages) {
            for (JsonNode block : msg.path("content")) {
                if (block.has("toolResult")) {
                    toolResult = block.get("toolResult");
                }
            }
        }
        assertTrue(toolResult != null, second::bodyText);
        assertEquals("p1", toolResult.path("toolUseId").asText());
        JsonNode image = null;
        boolean text = false;
        for (JsonNode part : toolResult.path("content")) {
            if (part.has("image")) {
                image = part.get("image");
            }
            text |= part.path("text").asText().contains("a transparent pixel");
        }
        assertTrue(text, toolResult::toString);
        assertTrue(image != null, toolResult::toString);
        assertEquals("png", image.path("format").asText());
        assertEquals(McpTestTools.PNG_BASE64, image.path("source").path("bytes").asText());
        for (int i = 1; i < messages.size(); i++) {
            assertFalse(messages.get(i).path("role").asText().equals(messages.get(i - 1).path("role").asText()),
                    () -> "Converse takes alternating roles only: " + messages);
        }
    }

    @Test
    void everyOtherVisionModelOnTheOpenAiWireGetsTheImage() throws Exception {
        for (String[] pm : new String[][] {{"xai", null}, {"openrouter", "anthropic/claude-sonnet-4"},
                {"azure-openai", null}}) {
            RecordedRequest second = runPicture(pm[0], pm[1]);
            assertEquals(List.of("data:image/png;base64," + McpTestTools.PNG_BASE64), imageUrls(second),
                    () -> pm[0] + ": " + second.bodyText());
        }
    }

    @Test
    void theImageOutlivesCompactionAfterTheSummary() throws Exception {
        // a 3,000-token window: the image (~1,600 tokens) and the prompt overhead (2,000) pass 80% of it, so every
        // turn compacts all but the last exchange; the picture's turn is summarised by the second compaction
        String task = "t-compact";
        Files.writeString(h.tools.workspace("ctx-" + task).resolve("notes.txt"), "NOTES");
        Map<String, ProviderSettings> s = new HashMap<>();
        s.put("openai", ProviderSettings.defaults().withBaseUrl(h.llm.openAiBaseUrl()).withContextWindow(3_000));
        Map<String, Map<String, String>> keys = new HashMap<>(Providers.allKeys());
        keys.put("openai", Map.of("api_key", "sk-openai-test-0123456789"));
        Providers.write(h.secrets, keys);
        var providers = new LangChain4jProviders(s, Optional.empty(), new FileSecretSource(h.secrets), 0,
                Duration.ofSeconds(1));
        AgentSettings d = h.settings();
        AgentSettings tight = new AgentSettings(d.workerId(), 10, d.wallClock(), d.toolTimeout(), 0.8, 1,
                d.partialEvery(), d.skillsDir());
        McpToolSource source = source();
        AgentLoop loop = new AgentLoop(tight, providers, h.toolClient, Workspaces.NONE, WorkspaceSettings.defaults(),
                CallRouter.DISABLED, h.events, h.sessions, TaskMetrics.NONE, List.of(), List.of(source));
        h.llm.enqueue(Reply.tools(Reply.call("p1", "mcp__pics__picture", Map.of())), Reply.text("SUMMARY-ONE"),
                Reply.tools(Reply.call("k2", "read_file", Map.of("path", "notes.txt"))), Reply.text("SUMMARY-TWO"),
                Reply.text("done"));
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("show the picture")),
                null, null, null, null, Map.of());
        h.run(loop, new TaskCommand.StartTask(task, "ctx-" + task, null, m, "openai", null, null, null, null, null,
                Map.of(), null));
        assertEquals(TaskState.COMPLETED, h.finalOf(task).status().state(), () -> h.finalOf(task).toString());
        List<RecordedRequest> reqs = h.llm.requests();
        assertEquals(5, reqs.size(), () -> reqs.stream().map(RecordedRequest::bodyText).toList().toString());
        assertTrue(reqs.get(3).bodyText().contains("You compact"), "the fourth call summarises the picture's turn");
        JsonNode last = reqs.get(4).body().get("messages");
        JsonNode summary = last.get(1);
        assertEquals("user", summary.path("role").asText(), last::toString);
        assertTrue(summary.path("content").isArray(), () -> "the summary has an image part: " + summary);
        assertTrue(summary.path("content").get(0).path("text").asText().contains("SUMMARY-TWO"), summary::toString);
        assertTrue(summary.path("content").get(0).path("text").asText()
                .contains("1. image/png, 70 bytes from mcp__pics__picture (call p1)"), summary::toString);
        assertEquals(List.of("data:image/png;base64," + McpTestTools.PNG_BASE64), imageUrls(reqs.get(4)),
                "the picture is sent once, with the summary that replaced its turn");
        assertFalse(reqs.get(4).bodyText().contains("\"p1\""), "the picture's call itself was compacted");
    }

    /** The data URLs of every {@code image_url} part of an OpenAI-shaped request. */
    private static List<String> imageUrls(RecordedRequest r) {
        List<String> urls = new ArrayList<>();
        r.body().path("messages").forEach(msg -> msg.path("content").forEach(p -> {
            if ("image_url".equals(p.path("type").asText())) {
                urls.add(p.path("image_url").path("url").asText());
            }
        }));
        return urls;
    }

    @Test
    void aModelThatReadsNoImagesGetsTheTextLineOnly() throws Exception {
        RecordedRequest second = runPicture("deepseek");
        assertFalse(second.bodyText().contains(McpTestTools.PNG_BASE64), "no image data for a text-only model");
        assertFalse(second.bodyText().contains("image_url"), second::bodyText);
        assertEquals("[image image/png, 70 bytes]\na transparent pixel", LoopHarness.lastResult(second));
    }
}
