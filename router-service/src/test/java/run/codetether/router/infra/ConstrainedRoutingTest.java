package run.codetether.router.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import run.codetether.router.domain.ModelRouter;
import run.codetether.router.domain.ModelState;
import run.codetether.router.domain.RouteCommand;
import run.codetether.router.domain.RouteResult;
import run.codetether.router.domain.RouterService;
import run.codetether.router.domain.TestTools;
import run.codetether.router.domain.ToolCall;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.decode.BatchDecoder;
import run.codetether.router.domain.decode.DecodeJob;
import run.codetether.router.domain.decode.Generation;
import run.codetether.router.domain.grammar.CallGrammar;
import run.codetether.router.domain.grammar.CallParser;
import run.codetether.router.domain.prompt.PromptFormat;
import run.codetether.router.domain.schema.SchemaValidator;
import run.codetether.router.fixtures.Fixtures;
import run.codetether.router.infra.onnx.DevicePreference;
import run.codetether.router.infra.onnx.OnnxCausalLm;
import run.codetether.router.infra.tokenizer.DjlTextTokenizer;
import run.codetether.router.infra.tokenizer.VocabularyLoader;

/** The whole model path on the generated ONNX model and tokenizer: constrained output and batching. */
class ConstrainedRoutingTest {

    private static final String[] WORDS = {"read", "the", "file", "run", "bash", "ls", "-la", "tests", "todo",
        "notes.txt", "error", "count", "\"quoted\"", "path/to/x", "42", "é", "then", "please", "{", "}"};

    private static DjlTextTokenizer tokenizer;
    private static OnnxCausalLm model;
    private static VocabularyLoader.Loaded vocab;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = DjlTextTokenizer.load(Fixtures.tokenizer());
        model = OnnxCausalLm.load(Fixtures.model(), DevicePreference.CPU, 1, 0, true);
        vocab = VocabularyLoader.load(Fixtures.tokenizer(), tokenizer, model.vocabSize());
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
    }

    private static String randomText(SplittableRandom random) {
        int n = 3 + random.nextInt(12);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            words.add(WORDS[random.nextInt(WORDS.length)]);
        }
        return String.join(" ", words);
    }

    /**
     * Many random inputs, greedy and sampled, through the real model with the grammar. A random model likes to
     * stop at once, so most runs require a call (minCalls=1) to exercise the argument grammar; the rest keep the
     * production grammar, where "no call" is allowed.
     */
    @ParameterizedTest
    @EnumSource(PromptFormat.class)
    void constrainedOutputIsAlwaysASchemaValidCallOfAnOfferedTool(PromptFormat format) {
        List<ToolSpec> tools = TestTools.tools();
        Map<String, ToolSpec> byName = tools.stream().collect(Collectors.toMap(ToolSpec::name, t -> t));
        SplittableRandom random = new SplittableRandom(3);
        try (BatchDecoder decoder = new BatchDecoder(model, vocab.vocabulary(), 8, Duration.ZERO)) {
            List<DecodeJob> jobs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                float temperature = i % 4 == 0 ? 0f : 0.5f + random.nextFloat();
                long[] prompt = tokenizer.encode(format.render(randomText(random), tools));
                CallGrammar grammar = new CallGrammar(format.dialect(), tools, i % 5 == 0 ? 0 : 1, 2);
                jobs.add(DecodeJob.of(prompt, grammar, 192, temperature, random.nextLong(),
                        Duration.ofSeconds(120).toNanos()));
                decoder.submit(jobs.getLast());
            }
            int withCalls = 0;
            for (DecodeJob job : jobs) {
                Generation gen = job.result().join();
                List<CallParser.ParsedCall> calls = CallParser.parse(gen.callText(), format.dialect());
                assertEquals(gen.completeCalls(), calls.size(), gen.symbols());
                withCalls += calls.isEmpty() ? 0 : 1;
                for (CallParser.ParsedCall call : calls) {
                    ToolSpec tool = byName.get(call.name());
                    assertNotNull(tool, call.name());
                    assertEquals(List.of(), SchemaValidator.validate(call.arguments(), tool.arguments()),
                            gen.symbols());
                }
                assertTrue(gen.stop() == Generation.Stop.END || gen.stop() == Generation.Stop.MAX_TOKENS,
                        gen.stop() + " " + gen.symbols());
            }
            System.out.println(format + ": generations holding complete calls: " + withCalls + " of 40");
            assertTrue(withCalls >= 3, "generations holding complete calls: " + withCalls + " of 40");
        }
    }

    /** MCP servers' tools ({@code mcp__<server>__<tool>}) are offered and constrained like the built-in ones. */
    @ParameterizedTest
    @EnumSource(PromptFormat.class)
    void constrainedOutputOverMcpToolsIsASchemaValidCallOfAnOfferedMcpTool(PromptFormat format) {
        List<ToolSpec> tools = TestTools.mcpTools();
        Map<String, ToolSpec> byName = tools.stream().collect(Collectors.toMap(ToolSpec::name, t -> t));
        SplittableRandom random = new SplittableRandom(17);
        try (BatchDecoder decoder = new BatchDecoder(model, vocab.vocabulary(), 8, Duration.ZERO)) {
            List<DecodeJob> jobs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                float temperature = i % 4 == 0 ? 0f : 0.5f + random.nextFloat();
                long[] prompt = tokenizer.encode(format.render(randomText(random), tools));
                jobs.add(DecodeJob.of(prompt, new CallGrammar(format.dialect(), tools, 1, 2), 192, temperature,
                        random.nextLong(), Duration.ofSeconds(120).toNanos()));
                decoder.submit(jobs.getLast());
            }
            int calls = 0;
            for (DecodeJob job : jobs) {
                Generation gen = job.result().join();
                for (CallParser.ParsedCall call : CallParser.parse(gen.callText(), format.dialect())) {
                    ToolSpec tool = byName.get(call.name());
                    assertNotNull(tool, "an offered MCP tool: " + call.name());
                    assertEquals(List.of(), SchemaValidator.validate(call.arguments(), tool.arguments()),
                            gen.symbols());
                    calls++;
                }
            }
            assertTrue(calls >= 3, "complete MCP calls: " + calls);
        }
    }

    @ParameterizedTest
    @EnumSource(PromptFormat.class)
    void dynamicBatchingGivesExactlyTheUnbatchedOutput(PromptFormat format) {
        List<ToolSpec> tools = TestTools.tools();
        SplittableRandom random = new SplittableRandom(5);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add(randomText(random));
        }
        try (BatchDecoder decoder = new BatchDecoder(model, vocab.vocabulary(), 8, Duration.ofMillis(500))) {
            List<DecodeJob> batched = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                batched.add(job(format, texts.get(i), tools, i));
                decoder.submit(batched.getLast());
            }
            int maxBatch = 0;
            for (int i = 0; i < texts.size(); i++) {
                Generation together = batched.get(i).result().join();
                maxBatch = Math.max(maxBatch, together.batchSize());
                DecodeJob alone = job(format, texts.get(i), tools, i);
                BatchDecoder.decodeTogether(model, vocab.vocabulary(), List.of(alone));
                Generation single = alone.result().join();
                assertEquals(1, single.batchSize());
                assertArrayEquals(single.tokens(), together.tokens(), "request " + i);
                assertEquals(single.symbols(), together.symbols());
                assertEquals(single.stop(), together.stop());
            }
            assertTrue(maxBatch > 1, "requests were decoded together (largest batch " + maxBatch + ")");
        }
    }

    private static DecodeJob job(PromptFormat format, String text, List<ToolSpec> tools, int i) {
        long[] prompt = tokenizer.encode(format.render(text, tools));
        // half greedy, half sampled: sampling is seeded per request, so it must match too
        return DecodeJob.of(prompt, new CallGrammar(format.dialect(), tools, ModelRouter.MAX_CALLS), 48,
                i % 2 == 0 ? 0f : 0.9f, 1000 + i, Duration.ofSeconds(60).toNanos());
    }
}
