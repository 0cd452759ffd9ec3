package run.codetether.bench.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.router.domain.TestTools;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.decode.BatchDecoder;
import run.codetether.router.domain.decode.DecodeJob;
import run.codetether.router.domain.decode.Generation;
import run.codetether.router.domain.grammar.CallGrammar;
import run.codetether.router.domain.prompt.PromptFormat;
import run.codetether.router.fixtures.Fixtures;
import run.codetether.router.infra.onnx.DevicePreference;
import run.codetether.router.infra.onnx.OnnxCausalLm;
import run.codetether.router.infra.tokenizer.DjlTextTokenizer;
import run.codetether.router.infra.tokenizer.VocabularyLoader;

/**
 * Route latency through the model path (prompt encoding, queueing, prefill, schema-constrained decoding with the
 * KV cache) at several client concurrencies, with dynamic batching on and off, on the generated tiny Gemma-shaped
 * model. Every request is made to write a call (minCalls=1) and runs to its token budget or its call's end, so
 * the decode work per request is comparable.
 *
 * <pre>java -jar target/router-bench.jar [--requests 96] [--levels 1,8,32] [--max-tokens 32] [--tools 2]
 *     [--arch functiongemma] [--device cpu|auto|cuda] [--max-batch 32]</pre>
 */
public final class RouterBench {

    private static final String[] TEXTS = {
        "Let me read the file src/main/App.java to see the entry point",
        "I will run the tests with mvn -q verify and look at the failures",
        "list the directory then open notes.txt",
        "run ls -la in the workspace",
        "search the logs for the word error and count them",
        "please read README.md",
        "execute git status",
        "open config/application.properties and check the port"};

    public static void main(String[] args) throws Exception {
        int requests = intArg(args, "--requests", 96);
        int maxTokens = intArg(args, "--max-tokens", 32);
        int toolCount = intArg(args, "--tools", 2);
        int maxBatch = intArg(args, "--max-batch", 32);
        int[] levels = Arrays.stream(stringArg(args, "--levels", "1,8,32").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        PromptFormat format = PromptFormat.of(stringArg(args, "--arch", "functiongemma"));
        DevicePreference device = DevicePreference.of(stringArg(args, "--device", "cpu"));

        List<ToolSpec> tools = TestTools.tools().subList(0, Math.min(toolCount, TestTools.tools().size()));
        DjlTextTokenizer tokenizer = DjlTextTokenizer.load(Fixtures.tokenizer());
        OnnxCausalLm model = OnnxCausalLm.load(Fixtures.model(), device, 0, 0, true);
        VocabularyLoader.Loaded vocab = VocabularyLoader.load(Fixtures.tokenizer(), tokenizer, model.vocabSize());
        System.out.printf("router-bench: model=%s provider=%s cores=%d arch=%s tools=%d max-tokens=%d requests=%d%n",
                Fixtures.model().getFileName(), model.executionProvider(), Runtime.getRuntime().availableProcessors(),
                format.id(), tools.size(), maxTokens, requests);
        System.out.printf("prompt tokens: %d..%d%n", promptLength(tokenizer, format, tools, true),
                promptLength(tokenizer, format, tools, false));
        System.out.println("| batching | concurrency | p50 ms | p99 ms | req/s | tokens/s | mean batch |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        double[][] throughput = new double[2][levels.length];
        for (int mode = 0; mode < 2; mode++) {
            int batch = mode == 0 ? 1 : maxBatch;
            try (BatchDecoder decoder = new BatchDecoder(model, vocab.vocabulary(), batch, Duration.ofMillis(2))) {
                run(decoder, tokenizer, format, tools, maxTokens, 8, Math.min(8, batch)); // warm-up
                for (int l = 0; l < levels.length; l++) {
                    long batchesBefore = decoder.batches();
                    long rowsBefore = decoder.rows();
                    Result r = run(decoder, tokenizer, format, tools, maxTokens, requests, levels[l]);
                    double meanBatch = (double) (decoder.rows() - rowsBefore)
                            / Math.max(1, decoder.batches() - batchesBefore);
                    throughput[mode][l] = r.tokensPerSecond();
                    System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.0f | %.1f |%n",
                            mode == 0 ? "off (max 1)" : "on (max " + batch + ")", levels[l], r.p50(), r.p99(),
                            r.requestsPerSecond(), r.tokensPerSecond(), meanBatch);
                }
            }
        }
        for (int l = 0; l < levels.length; l++) {
            System.out.printf("batching gain at %d concurrent: %.2fx tokens/s%n", levels[l],
                    throughput[1][l] / throughput[0][l]);
        }
        model.close();
        tokenizer.close();
    }

    private record Result(double p50, double p99, double requestsPerSecond, double tokensPerSecond) {}

    private static Result run(BatchDecoder decoder, DjlTextTokenizer tokenizer, PromptFormat format,
            List<ToolSpec> tools, int maxTokens, int requests, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        double[] latencies = new double[requests];
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            futures.add(clients.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                    long t0 = System.nanoTime();
                    String text = TEXTS[i % TEXTS.length] + " #" + i;
                    long[] prompt = tokenizer.encode(format.render(text, tools));
                    DecodeJob job = DecodeJob.of(prompt, new CallGrammar(format.dialect(), tools, 1, 1), maxTokens,
                            0f, i, Duration.ofMinutes(5).toNanos());
                    Generation g = decoder.submit(job).join();
                    latencies[i] = (System.nanoTime() - t0) / 1e6;
                    tokens.addAndGet(g.generatedTokens());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        Arrays.sort(latencies);
        return new Result(percentile(latencies, 0.50), percentile(latencies, 0.99), requests / seconds,
                tokens.get() / seconds);
    }

    private static int promptLength(DjlTextTokenizer tokenizer, PromptFormat format, List<ToolSpec> tools,
            boolean shortest) {
        int best = shortest ? Integer.MAX_VALUE : 0;
        for (String text : TEXTS) {
            int n = tokenizer.encode(format.render(text, tools)).length;
            best = shortest ? Math.min(best, n) : Math.max(best, n);
        }
        return best;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(fallback)));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
