package run.codetether.router.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.codetether.router.config.RouterConfig;
import run.codetether.router.domain.ModelState;
import run.codetether.router.domain.RouteCommand;
import run.codetether.router.domain.RouteResult;
import run.codetether.router.domain.TestTools;
import run.codetether.router.fixtures.Fixtures;

/** Startup without a usable model: the runtime degrades instead of failing, and says why. */
class RouterRuntimeTest {

    private static RouterConfig config(boolean enabled, String model, String tokenizer, String device) {
        return new RouterConfig() {
            public String instanceId() { return "test"; }
            public boolean enabled() { return enabled; }
            public Optional<String> modelPath() { return Optional.ofNullable(model); }
            public Optional<String> tokenizerPath() { return Optional.ofNullable(tokenizer); }
            public String arch() { return "gemma3"; }
            public String device() { return device; }
            public int maxTokens() { return 32; }
            public float temperature() { return 0f; }
            public Duration timeout() { return Duration.ofSeconds(30); }
            public int maxTextChars() { return 1000; }
            public int intraOpThreads() { return 1; }
            public boolean warmUp() { return false; }
            public Batch batch() {
                return new Batch() {
                    public int maxSize() { return 4; }
                    public Duration maxWait() { return Duration.ZERO; }
                };
            }
        };
    }

    private static RouteResult route(RouterRuntime runtime, String text) {
        return runtime.service().route(new RouteCommand(text, TestTools.tools(), 16, 0f, Duration.ofSeconds(5),
                false)).join();
    }

    private static String degradedReason(RouterRuntime runtime) {
        ModelState.Unavailable u = assertInstanceOf(ModelState.Unavailable.class, runtime.state());
        assertFalse(runtime.info().loaded());
        assertEquals(u.reason(), runtime.info().loadError());
        return u.reason();
    }

    @Test
    void missingModelDegradesAndTheFastPathStillWorks() {
        RouterRuntime runtime = new RouterRuntime(config(true, "/nonexistent/model.onnx",
                Fixtures.tokenizer().toString(), "cpu"));
        runtime.load();
        assertTrue(degradedReason(runtime).contains("model file not found: /nonexistent/model.onnx"));
        RouteResult fallback = route(runtime, "please run ls");
        assertFalse(fallback.routed());
        assertTrue(fallback.fallbackReason().contains("model file not found"), fallback.fallbackReason());
        RouteResult fast = route(runtime, "<tool_call>{\"name\":\"list_dir\",\"arguments\":{}}</tool_call>");
        assertTrue(fast.routed());
        assertEquals("fast_path", fast.source());
    }

    @Test
    void corruptModelDegradesWithTheLoaderMessage() throws Exception {
        Path corrupt = Fixtures.dir().resolve("corrupt.onnx");
        Files.createDirectories(corrupt.getParent());
        Files.write(corrupt, "this is not an onnx model".getBytes());
        RouterRuntime runtime = new RouterRuntime(config(true, corrupt.toString(), Fixtures.tokenizer().toString(),
                "cpu"));
        runtime.load();
        assertTrue(degradedReason(runtime).startsWith("router model failed to load from " + corrupt),
                degradedReason(runtime));
        assertFalse(route(runtime, "please run ls").routed());
    }

    @Test
    void disabledOrUnconfiguredRoutersSaySo() {
        RouterRuntime disabled = new RouterRuntime(config(false, null, null, "auto"));
        disabled.load();
        assertTrue(degradedReason(disabled).contains("CODETETHER_TOOL_ROUTER_ENABLED=false"));
        RouterRuntime noPath = new RouterRuntime(config(true, null, null, "auto"));
        noPath.load();
        assertTrue(degradedReason(noPath).contains("CODETETHER_TOOL_ROUTER_MODEL_PATH"));
    }

    @Test
    void cudaRequestedOnACpuOnlyBuildFailsLoudly() {
        RouterRuntime runtime = new RouterRuntime(config(true, Fixtures.model().toString(),
                Fixtures.tokenizer().toString(), "cuda"));
        runtime.load();
        assertTrue(degradedReason(runtime).contains("DEVICE=cuda but CUDA is unavailable"), degradedReason(runtime));
    }

    @Test
    void autoDeviceLoadsOnTheCpuAndRoutes() {
        RouterRuntime runtime = new RouterRuntime(config(true, Fixtures.model().toString(),
                Fixtures.tokenizer().toString(), "auto"));
        runtime.load();
        try {
            assertInstanceOf(ModelState.Ready.class, runtime.state());
            assertEquals("cpu", runtime.info().device());
            RouteResult result = route(runtime, "read notes.txt");
            assertEquals(result.routed() ? "model" : "none", result.source());
            assertTrue(result.timings().generatedTokens() > 0);
        } finally {
            runtime.close();
        }
    }
}
