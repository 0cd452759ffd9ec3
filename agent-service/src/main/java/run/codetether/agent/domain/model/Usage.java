package run.codetether.agent.domain.model;

/**
 * Tokens a model call consumed, in four disjoint parts, so that each part is charged once at its own price: prompt
 * tokens neither read from nor written to the provider's cache, output tokens, prompt tokens served from the cache,
 * prompt tokens written to it. The provider adapter converts each provider's convention to this one (OpenAI's and
 * Gemini's prompt counts include the cached tokens; Anthropic's and Bedrock's exclude them).
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens)
        implements run.codetether.platform.budget.Tokens {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** No cached tokens. */
    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, 0, 0);
    }

    public Usage plus(Usage o) {
        return o == null ? this : new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheReadTokens + o.cacheReadTokens, cacheWriteTokens + o.cacheWriteTokens);
    }
}
