package run.codetether.platform.budget;

import run.codetether.contracts.models.ModelCatalog.Price;

/**
 * THE upper bound of one model call's cost that a budget reserves before the call ({@link TenantBudgets#admit}),
 * one definition for the agent's calls and the swarm coordinator's own: a tenant's parallel calls of either service
 * are held to the same bound (docs/providers.md "Budgets").
 */
public final class MaxCost {
    private MaxCost() {}

    /**
     * A prompt of {@code promptChars} characters counted as one token per 2 characters (real tokenizers average 3-4;
     * capped at the context window), all at the dearest input-side price (input or cache write), plus the most output
     * the call may produce (the catalog's max output, else what the window leaves) at the output price; 0 when
     * unpriced ({@code price} null: nothing is known to reserve).
     *
     * @param contextWindow the model's context window in tokens (values below 1 count as 1)
     * @param maxOutput the most output tokens one call may produce, 0 when the catalog lists none
     */
    public static double usd(Price price, int contextWindow, int maxOutput, long promptChars) {
        if (price == null) {
            return 0;
        }
        long window = Math.max(1, contextWindow);
        long in = Math.min(window, (Math.max(0, promptChars) + 1) / 2);
        long out = maxOutput > 0 ? Math.min(maxOutput, window) : Math.max(0, window - in);
        double inPrice = Math.max(price.input(), price.cacheWrite() == null ? 0 : price.cacheWrite());
        return (in * inPrice + out * price.output()) / 1_000_000.0;
    }
}
