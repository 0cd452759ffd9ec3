package run.codetether.router.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import run.codetether.router.domain.decode.BatchDecoder;
import run.codetether.router.domain.decode.CausalLm;
import run.codetether.router.domain.decode.TextTokenizer;
import run.codetether.router.domain.grammar.Symbols;
import run.codetether.router.domain.grammar.TokenVocabulary;
import run.codetether.router.domain.prompt.PromptFormat;

/** Routing decisions and every fallback, with scripted stand-ins for the model. */
class RouterServiceTest {

    private static final TokenVocabulary VOCAB = TestTools.vocabulary();
    private static final TextTokenizer CHARS = text -> text.chars().mapToLong(c -> c % 90).toArray();

    private static RouteCommand command(String text, Duration timeout) {
        return new RouteCommand(text, TestTools.tools(), 200, 0f, timeout, false);
    }

    private static RouterService serviceWith(CausalLm lm) {
        ModelRouter router = new ModelRouter(PromptFormat.GEMMA3, CHARS,
                new BatchDecoder(lm, VOCAB, 4, Duration.ZERO));
        return new RouterService(() -> new ModelState.Ready(router));
    }

    @Test
    void withoutAModelTheFastPathStillRoutesAndEverythingElseFallsBack() {
        RouterService service = new RouterService(() -> new ModelState.Unavailable("model file not found: /m.onnx"));
        RouteResult fast = service.route(command("<tool_call>{\"name\":\"bash\",\"arguments\":{\"command\":\"ls\"}}"
                + "</tool_call>", Duration.ofSeconds(1))).join();
        assertTrue(fast.routed());
        assertEquals("fast_path", fast.source());
        RouteResult none = service.route(command("let me list the files", Duration.ofSeconds(1))).join();
        assertFalse(none.routed());
        assertEquals("none", none.source());
        assertTrue(none.fallbackReason().contains("model file not found"), none.fallbackReason());
    }

    @Test
    void noToolsOrNoTextNeverReachTheModel() {
        RouterService service = new RouterService(() -> {
            throw new AssertionError("the model must not be asked");
        });
        RouteResult noTools = service.route(new RouteCommand("run ls", List.of(), 10, 0f, Duration.ofSeconds(1),
                false)).join();
        assertEquals("no tools offered", noTools.fallbackReason());
        assertEquals("empty text", service.route(command("  ", Duration.ofSeconds(1))).join().fallbackReason());
    }

    @Test
    void scriptedModelOutputBecomesAValidatedCall() {
        String script = "<tool_call>{\"name\": \"bash\", \"arguments\": {\"command\": \"ls -la\"}}</tool_call>"
                + Symbols.END;
        RouteResult result = serviceWith(new ScriptedLm(script)).route(command("list files", Duration.ofSeconds(5)))
                .join();
        assertTrue(result.routed(), result.fallbackReason());
        assertEquals("model", result.source());
        assertEquals(List.of(new ToolCall("bash", "{\"command\":\"ls -la\"}")), result.calls());
        assertTrue(result.timings().generatedTokens() > 0);
        assertEquals(1, result.timings().batchSize());
    }

    @Test
    void aModelThatWantsAnInvalidCallIsHeldToTheSchema() {
        // the script asks for a number where the schema wants a string, then an undeclared key
        String script = "<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": 5, \"mode\": 1}}</tool_call>"
                + Symbols.END;
        RouteResult result = serviceWith(new ScriptedLm(script)).route(command("read it", Duration.ofSeconds(5)))
                .join();
        if (result.routed()) {
            assertEquals("read_file", result.calls().getFirst().name());
            assertTrue(result.calls().getFirst().argumentsJson().startsWith("{\"path\":\""),
                    result.calls().getFirst().argumentsJson());
        } else {
            assertTrue(result.fallbackReason().startsWith("max_tokens"), result.fallbackReason());
        }
    }

    @Test
    void theModelMayAnswerNoCall() {
        RouteResult result = serviceWith(new ScriptedLm(String.valueOf(Symbols.END)))
                .route(command("nothing to do", Duration.ofSeconds(5))).join();
        assertFalse(result.routed());
        assertEquals("model chose no call", result.fallbackReason());
    }

    @Test
    void aStuckModelTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CausalLm stuck = new ScriptedLm("") {
            @Override
            public Session start(long[][] prompts) throws Exception {
                release.await();
                return super.start(prompts);
            }
        };
        try {
            RouteResult result = serviceWith(stuck).route(command("anything", Duration.ofMillis(100))).join();
            assertFalse(result.routed());
            assertEquals("timeout after 100 ms", result.fallbackReason());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFailingModelIsAFallbackNotAnError() {
        CausalLm broken = new ScriptedLm("") {
            @Override
            public Session start(long[][] prompts) {
                throw new IllegalStateException("ORT_FAIL: bad input shape");
            }
        };
        RouteResult result = serviceWith(broken).route(command("anything", Duration.ofSeconds(5))).join();
        assertFalse(result.routed());
        assertTrue(result.fallbackReason().contains("ORT_FAIL: bad input shape"), result.fallbackReason());
    }

    /** Logits that favour, at step n, the single-character token of the script's n-th symbol. */
    static class ScriptedLm implements CausalLm {
        private final String script;

        ScriptedLm(String script) {
            this.script = script;
        }

        @Override
        public int vocabSize() {
            return VOCAB.size();
        }

        @Override
        public Session start(long[][] prompts) throws Exception {
            int[] position = new int[prompts.length];
            return new Session() {
                @Override
                public float[] logits(int row) {
                    float[] logits = new float[VOCAB.size()];
                    if (position[row] < script.length()) {
                        String next = String.valueOf(script.charAt(position[row]));
                        for (int id = 0; id < logits.length; id++) {
                            logits[id] = next.equals(VOCAB.symbol(id)) ? 10f : (float) (id % 7) / 10f;
                        }
                    }
                    return logits;
                }

                @Override
                public void append(long[] tokens) {
                    for (int r = 0; r < tokens.length; r++) {
                        position[r] += VOCAB.symbol((int) tokens[r]).length();
                    }
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }
}
