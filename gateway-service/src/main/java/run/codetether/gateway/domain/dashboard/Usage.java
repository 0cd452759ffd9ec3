package run.codetether.gateway.domain.dashboard;

import java.util.Map;

/**
 * Token and cost figures read from a status event's {@code usage} metadata. Reads the shared shape
 * ({@code tokens_in, tokens_out, cost_usd, priced}) and the agent's earlier camelCase one ({@code inputTokens,
 * outputTokens, costUsd}), so the dashboard shows both producers' events while they migrate.
 *
 * @param costUsd null when the model is unpriced
 */
public record Usage(long tokensIn, long tokensOut, Double costUsd, boolean priced, String provider, String model) {

    /** @return the usage in {@code metadata.usage}, or null when the event carries none */
    public static Usage of(Map<String, Object> metadata) {
        if (metadata == null || !(metadata.get("usage") instanceof Map<?, ?> u)) {
            return null;
        }
        long in = number(u, "tokens_in", "inputTokens");
        long out = number(u, "tokens_out", "outputTokens");
        Object cost = u.containsKey("cost_usd") ? u.get("cost_usd") : u.get("costUsd");
        Double costUsd = cost instanceof Number n ? n.doubleValue() : null;
        boolean priced = u.get("priced") instanceof Boolean b ? b : costUsd != null;
        if (!priced) {
            costUsd = null;
        }
        return new Usage(in, out, costUsd, priced, text(u, "provider"), text(u, "model"));
    }

    private static long number(Map<?, ?> u, String key, String alias) {
        Object v = u.containsKey(key) ? u.get(key) : u.get(alias);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static String text(Map<?, ?> u, String key) {
        return u.get(key) instanceof String s && !s.isBlank() ? s : null;
    }
}
