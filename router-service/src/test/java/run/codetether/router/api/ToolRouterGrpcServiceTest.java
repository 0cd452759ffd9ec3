package run.codetether.router.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.router.v1.ModelInfoRequest;
import run.codetether.contracts.router.v1.ModelInfoResponse;
import run.codetether.contracts.router.v1.RouteOptions;
import run.codetether.contracts.router.v1.RouteRequest;
import run.codetether.contracts.router.v1.RouteResponse;
import run.codetether.contracts.router.v1.ToolDefinition;
import run.codetether.contracts.router.v1.ToolRouterGrpc;
import run.codetether.platform.json.Json;

/** Route and ModelInfo over real gRPC (on the HTTP port) against the generated model. */
@QuarkusTest
@QuarkusTestResource(RouterModelResource.class)
class ToolRouterGrpcServiceTest {

    private static final ToolDefinition BASH = ToolDefinition.newBuilder().setName("bash")
            .setDescription("run a shell command")
            .setParametersJsonSchema("{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},"
                    + "\"required\":[\"command\"]}")
            .build();
    private static final ToolDefinition READ = ToolDefinition.newBuilder().setName("read_file")
            .setParametersJsonSchema("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},"
                    + "\"mode\":{\"enum\":[\"text\",\"bytes\"]}},\"required\":[\"path\",\"mode\"]}")
            .build();

    private ManagedChannel channel;
    private ToolRouterGrpc.ToolRouterBlockingStub router;

    @BeforeEach
    void connect() {
        // gRPC has a server of its own, not the HTTP port (docs/operations.md "GOAWAY")
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        assertFalse(port == ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class),
                "gRPC and HTTP on separate ports");
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        router = ToolRouterGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    @Test
    void modelInfoReportsTheLoadedModelOnTheCpu() {
        ModelInfoResponse info = router.modelInfo(ModelInfoRequest.getDefaultInstance());
        assertTrue(info.getLoaded(), info.getLoadError());
        assertTrue(info.getWarm());
        assertEquals("gemma3", info.getArch());
        assertEquals("cpu", info.getDevice());
        assertEquals("CPUExecutionProvider", info.getExecutionProvider());
        assertEquals(512, info.getVocabSize());
        assertEquals(512, info.getMaxTokens());
        assertTrue(info.getModelPath().endsWith("tiny-gemma.onnx"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tool-router' }.data.router", equalTo("ready"));
    }

    @Test
    void explicitCallsTakeTheFastPath() {
        RouteResponse response = router.route(RouteRequest.newBuilder()
                .setText("Sure.\n```json\n{\"name\": \"bash\", \"arguments\": {\"command\": \"ls -la\"}}\n```")
                .addTools(BASH).addTools(READ).build());
        assertTrue(response.getRouted(), response.getFallbackReason());
        assertEquals("fast_path", response.getSource());
        assertEquals("bash", response.getCalls(0).getName());
        assertEquals("{\"command\":\"ls -la\"}", response.getCalls(0).getArgumentsJson());
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("codetether_router_routes_total{routed=\"true\",source=\"fast_path\"}"));
    }

    @Test
    void theModelAnswersWithASchemaValidCallOrAReason() throws Exception {
        RouteResponse response = router.route(RouteRequest.newBuilder()
                .setText("I should read the file notes.txt as text")
                .addTools(BASH).addTools(READ)
                .setOptions(RouteOptions.newBuilder().setMaxTokens(64).setTemperature(0f).setDisableFastPath(true))
                .build());
        assertTrue(response.getTimings().getPromptTokens() > 100, response.toString());
        assertTrue(response.getTimings().getGeneratedTokens() > 0);
        if (response.getRouted()) {
            assertEquals("model", response.getSource());
            for (var call : response.getCallsList()) {
                var args = Json.parse(call.getArgumentsJson());
                assertTrue(call.getName().equals("bash") ? args.has("command")
                        : args.has("path") && args.get("mode").asText().matches("text|bytes"), call.toString());
            }
        } else {
            assertFalse(response.getFallbackReason().isBlank());
            assertEquals("none", response.getSource());
        }
    }

    @Test
    void malformedRequestsAreInvalidArgument() {
        StatusRuntimeException badSchema = assertThrows(StatusRuntimeException.class, () -> router.route(
                RouteRequest.newBuilder().setText("x").addTools(ToolDefinition.newBuilder().setName("t")
                        .setParametersJsonSchema("{not json")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, badSchema.getStatus().getCode());
        assertTrue(badSchema.getStatus().getDescription().contains("not valid JSON"));
        StatusRuntimeException twice = assertThrows(StatusRuntimeException.class, () -> router.route(
                RouteRequest.newBuilder().setText("x").addTools(BASH).addTools(BASH).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, twice.getStatus().getCode());
        StatusRuntimeException negative = assertThrows(StatusRuntimeException.class, () -> router.route(
                RouteRequest.newBuilder().setText("x").addTools(BASH)
                        .setOptions(RouteOptions.newBuilder().setMaxTokens(-1)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, negative.getStatus().getCode());
    }

    @Test
    void aTimeoutIsAFallbackAndTheServiceKeepsRouting() {
        RouteResponse late = router.route(RouteRequest.newBuilder()
                .setText("read the file notes.txt").addTools(BASH).addTools(READ)
                .setOptions(RouteOptions.newBuilder().setTimeoutMs(1).setDisableFastPath(true)).build());
        assertFalse(late.getRouted());
        assertEquals("timeout after 1 ms", late.getFallbackReason());
        RouteResponse next = router.route(RouteRequest.newBuilder()
                .setText("read the file notes.txt").addTools(BASH).addTools(READ)
                .setOptions(RouteOptions.newBuilder().setMaxTokens(8).setDisableFastPath(true)).build());
        assertTrue(next.getTimings().getGeneratedTokens() > 0, next.toString());
    }

    @Test
    void noToolsIsAnAnswerNotAnError() {
        RouteResponse response = router.route(RouteRequest.newBuilder().setText("run ls").build());
        assertFalse(response.getRouted());
        assertEquals("no tools offered", response.getFallbackReason());
    }
}
