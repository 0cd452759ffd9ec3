package run.codetether.router.domain.decode;

import java.util.concurrent.CompletableFuture;
import run.codetether.router.domain.grammar.CallGrammar;

/**
 * One request to decode: its prompt ids, its grammar, limits and sampling. {@code seed} makes sampling depend on
 * the request alone, so a request gives the same output whatever it is batched with.
 */
public record DecodeJob(long[] prompt, CallGrammar grammar, int maxTokens, float temperature, long seed,
        long deadlineNanos, long enqueuedNanos, CompletableFuture<Generation> result) {

    public static DecodeJob of(long[] prompt, CallGrammar grammar, int maxTokens, float temperature, long seed,
            long timeoutNanos) {
        long now = System.nanoTime();
        return new DecodeJob(prompt, grammar, maxTokens, temperature, seed, now + timeoutNanos, now,
                new CompletableFuture<>());
    }
}
