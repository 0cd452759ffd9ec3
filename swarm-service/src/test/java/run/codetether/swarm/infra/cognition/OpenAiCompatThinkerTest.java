package run.codetether.swarm.infra.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import run.codetether.swarm.infra.llm.OpenAiCompatThinker;
import run.codetether.swarm.testing.ScriptedOpenAiServer;

class OpenAiCompatThinkerTest {

    @Test
    void sendsTheConfiguredSamplingAndReadsUsage() throws Exception {
        try (var server = new ScriptedOpenAiServer(r -> "Hypothesis: cache misses.")) {
            var thinker = new OpenAiCompatThinker(server.baseUrl() + "/chat/completions", "tiny", null, 0.2, 256,
                    Duration.ofSeconds(5));
            var out = thinker.think("sys", "user prompt");
            assertEquals("Hypothesis: cache misses.", out.text());
            assertEquals(15, out.totalTokens());
            assertEquals("stop", out.finishReason());
            var request = server.requests().get(0);
            assertEquals(0.2, request.path("temperature").asDouble(), 1e-9);
            assertTrue(request.path("max_tokens").asInt() == 256 || request.path("max_completion_tokens").asInt() == 256,
                    request.toString());
            assertEquals("tiny", request.path("model").asText());
            assertEquals("user prompt", ScriptedOpenAiServer.userText(request));
        }
    }

    @Test
    void anHttpErrorSurfacesAsAnException() throws Exception {
        try (var server = new ScriptedOpenAiServer(r -> {
            throw new ScriptedOpenAiServer.Fail(500, "model overloaded");
        })) {
            var thinker = new OpenAiCompatThinker(server.baseUrl(), "tiny", null, 0.2, 256, Duration.ofSeconds(5));
            var e = assertThrows(RuntimeException.class, () -> thinker.think("s", "u"));
            assertTrue(String.valueOf(e.getMessage()).contains("model overloaded"), e.getMessage());
        }
    }
}
