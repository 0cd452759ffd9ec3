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

    /** Nothing spent yet, priced at $0 (the start of a sum of priced usages). */
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0d, true);

    /** The sum of two usages; its cost is known only when both are priced (else it is unpriced, never partial). */
    public Usage plus(Usage o) {
        if (o == null) {
            return this;
        }
        boolean bothPriced = priced && o.priced;
        return new Usage(tokensIn + o.tokensIn, tokensOut + o.tokensOut, cacheReadTokens + o.cacheReadTokens,
                cacheWriteTokens + o.cacheWriteTokens, bothPriced ? costUsd + o.costUsd : null, bothPriced);
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
