package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tokens and cost of a call or a task. {@code costUsd} is null when the model is not priced ("unpriced"), never 0
 * for an unknown price. Reads both wire shapes: the documented {@code tokens_in/tokens_out/cost_usd/priced} and the
 * older {@code inputTokens/outputTokens/costUsd}.
 */
public record Usage(long tokensIn, long tokensOut, long cacheRead, long cacheWrite, Double costUsd, boolean priced) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0.0, true);

    public static Usage from(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        long in = first(u, "tokens_in", "inputTokens", "input_tokens");
        long out = first(u, "tokens_out", "outputTokens", "output_tokens");
        JsonNode cost = u.has("cost_usd") ? u.get("cost_usd") : u.get("costUsd");
        boolean priced = u.has("priced") ? u.get("priced").asBoolean() : cost != null && cost.isNumber();
        Double usd = priced && cost != null && cost.isNumber() ? cost.asDouble() : null;
        return new Usage(in, out, first(u, "cache_read_tokens"), first(u, "cache_write_tokens"), usd, usd != null);
    }

    private static long first(JsonNode u, String... names) {
        for (String n : names) {
            if (u.has(n) && u.get(n).canConvertToLong()) {
                return u.get(n).asLong();
            }
        }
        return 0;
    }

    public Usage plus(Usage o) {
        Double cost = costUsd == null || o.costUsd == null ? null : costUsd + o.costUsd;
        return new Usage(tokensIn + o.tokensIn, tokensOut + o.tokensOut, cacheRead + o.cacheRead,
                cacheWrite + o.cacheWrite, cost, cost != null);
    }

    /**
     * {@code 1,234 in / 56 out tokens, $0.0123} or {@code ..., cost unpriced}; cached prompt tokens, when the provider
     * reported any, as {@code 1,234 in / 56 out / 20,000 cache read / 4,000 cache write tokens, ...} (each priced at
     * its own rate, so the user sees why a long session costs less than its token count suggests).
     */
    public String footer() {
        String cache = (cacheRead > 0 ? String.format(" / %,d cache read", cacheRead) : "")
                + (cacheWrite > 0 ? String.format(" / %,d cache write", cacheWrite) : "");
        return String.format("%,d in / %,d out%s tokens, %s", tokensIn, tokensOut, cache, cost());
    }

    public String cost() {
        if (costUsd == null) {
            return "cost unpriced";
        }
        return costUsd < 0.01 && costUsd > 0 ? String.format("$%.4f", costUsd) : String.format("$%.2f", costUsd);
    }
}
