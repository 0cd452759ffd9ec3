package run.codetether.agent.domain.provider;

import run.codetether.agent.domain.model.Usage;
import run.codetether.contracts.models.ModelCatalog.Price;
import run.codetether.platform.budget.MaxCost;

/**
 * Catalog entry of a model: context window (tokens), max output tokens per call (0: not listed) and price in USD per
 * million tokens ({@code price} null: the catalog lists none, the model is unpriced and its cost is unknown, never 0),
 * and whether it reads images ({@code vision}: the catalog says so; unknown models are taken not to).
 */
public record ModelInfo(String provider, String model, int contextWindow, Price price, int maxOutput, boolean vision) {

    /** A model the catalog does not mark as reading images. */
    public ModelInfo(String provider, String model, int contextWindow, Price price, int maxOutput) {
        this(provider, model, contextWindow, price, maxOutput, false);
    }

    public ModelInfo(String provider, String model, int contextWindow, Price price) {
        this(provider, model, contextWindow, price, 0);
    }

    /** Input and output prices only; both 0 means unpriced. */
    public ModelInfo(String provider, String model, int contextWindow, double inputPerMTok, double outputPerMTok) {
        this(provider, model, contextWindow,
                inputPerMTok > 0 || outputPerMTok > 0 ? new Price(inputPerMTok, outputPerMTok, null, null) : null);
    }

    public boolean priced() {
        return price != null;
    }

    public double inputPerMTok() {
        return price == null ? 0 : price.input();
    }

    public double outputPerMTok() {
        return price == null ? 0 : price.output();
    }

    /** The same model with another context window (a deployment's override). */
    public ModelInfo withContextWindow(int window) {
        return new ModelInfo(provider, model, window, price, maxOutput, vision);
    }

    /** An upper bound of one call's cost, reserved against a budget before the call ({@link MaxCost#usd}). */
    public double maxCost(long promptChars) {
        return MaxCost.usd(price, contextWindow, maxOutput, promptChars);
    }

    /**
     * The cost of a call's usage in USD: each of its disjoint parts at its price (cache reads and writes at the
     * input price where the catalog lists none); 0 when unpriced (check {@link #priced()} first).
     */
    public double cost(Usage u) {
        return price == null ? 0 : price.cost(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(),
                u.cacheWriteTokens());
    }

    public double cost(long inputTokens, long outputTokens) {
        return cost(new Usage(inputTokens, outputTokens));
    }
}
