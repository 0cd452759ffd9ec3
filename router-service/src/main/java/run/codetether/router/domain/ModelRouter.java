package run.codetether.router.domain;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import run.codetether.router.domain.decode.BatchDecoder;
import run.codetether.router.domain.decode.DecodeJob;
import run.codetether.router.domain.decode.Generation;
import run.codetether.router.domain.decode.TextTokenizer;
import run.codetether.router.domain.grammar.CallGrammar;
import run.codetether.router.domain.prompt.PromptFormat;

/** Turns a request into a prompt and a grammar, queues it on the batch decoder and returns the raw generation. */
public final class ModelRouter implements AutoCloseable {

    /** A model's answer never holds more calls than this. */
    public static final int MAX_CALLS = 8;

    private final PromptFormat format;
    private final TextTokenizer tokenizer;
    private final BatchDecoder decoder;

    public ModelRouter(PromptFormat format, TextTokenizer tokenizer, BatchDecoder decoder) {
        this.format = format;
        this.tokenizer = tokenizer;
        this.decoder = decoder;
    }

    public PromptFormat format() {
        return format;
    }

    public BatchDecoder decoder() {
        return decoder;
    }

    /** Completes with the generation, or exceptionally (model error, or TimeoutException after {@code timeout}). */
    public CompletableFuture<Generation> generate(String text, List<ToolSpec> tools, int maxTokens,
            float temperature, Duration timeout) {
        CallGrammar grammar = new CallGrammar(format.dialect(), tools, MAX_CALLS);
        long[] prompt = tokenizer.encode(format.render(text, tools));
        DecodeJob job = DecodeJob.of(prompt, grammar, maxTokens, temperature, seed(text, tools), timeout.toNanos());
        job.result().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return decoder.submit(job);
    }

    /** Sampling depends on the request only, so batching never changes an answer. */
    static long seed(String text, List<ToolSpec> tools) {
        long h = 1125899906842597L;
        h = 31 * h + text.hashCode();
        for (ToolSpec t : tools) {
            h = 31 * h + t.name().hashCode();
        }
        return h;
    }

    @Override
    public void close() {
        decoder.close();
    }
}
