package run.codetether.platform.budget;

/**
 * The tokens of one model call, in the four disjoint parts each service's usage type reports (prompt tokens neither
 * read from nor written to the provider's cache, output tokens, cache reads, cache writes): what a
 * {@link CallSpend} adds to its tenant's day, whichever service made the call.
 */
public interface Tokens {
    /** No tokens. */
    Tokens ZERO = of(0, 0, 0, 0);

    long inputTokens();

    long outputTokens();

    long cacheReadTokens();

    long cacheWriteTokens();

    static Tokens of(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        record Counts(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens)
                implements Tokens {}
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        return new Counts(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens);
    }
}
