package run.codetether.agent.domain.provider;

/**
 * Catalog entry of a model: context window (tokens) and price in USD per million tokens.
 */
public record ModelInfo(String provider, String model, int contextWindow, double inputPerMTok, double outputPerMTok) {

    public double cost(long inputTokens, long outputTokens) {
        return inputTokens * inputPerMTok / 1_000_000d + outputTokens * outputPerMTok / 1_000_000d;
    }
}
