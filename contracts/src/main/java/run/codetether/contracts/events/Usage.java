package run.codetether.contracts.events;

import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Tokens and cost of model calls (one call, or a whole task). {@code costUsd} is null when the model has no price
 * in the catalog ({@code priced = false}): an unpriced call is never reported as free.
 *
 * @param cacheReadTokens prompt tokens served from the provider's cache (0 when the provider reports none)
 * @param cacheWriteTokens prompt tokens written to the provider's cache (0 when the provider reports none)
 */
public record Usage(long tokensIn, long tokensOut, long cacheReadTokens, long cacheWriteTokens, Double costUsd,
        boolean priced) {

    public Usage {
        if (tokensIn < 0 || tokensOut < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        if (priced != (costUsd != null)) {
            throw new IllegalArgumentException("costUsd is set exactly when the usage is priced");
        }
    }

    /** How an A2A client sees it, under {@link MetadataKeys#USAGE}. */
    public Map<String, Object> toMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MetadataKeys.TOKENS_IN, tokensIn);
        m.put(MetadataKeys.TOKENS_OUT, tokensOut);
        m.put(MetadataKeys.CACHE_READ_TOKENS, cacheReadTokens);
        m.put(MetadataKeys.CACHE_WRITE_TOKENS, cacheWriteTokens);
        m.put(MetadataKeys.COST_USD, costUsd); // null stays visible: "unpriced", not "free"
        m.put(MetadataKeys.PRICED, priced);
        return m;
    }
}
