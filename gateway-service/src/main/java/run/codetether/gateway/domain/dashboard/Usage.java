package run.codetether.gateway.domain.dashboard;

import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Token and cost figures read from a status event's {@code usage} metadata. Reads the shared shape
 * ({@code tokens_in, tokens_out, cost_usd, priced}, keys from {@link MetadataKeys}); the wire form of the contracts'
 * {@code Usage}, read from the A2A view of the event so it stays what a client sees.
 *
 * @param costUsd null when the model is unpriced
 */
public record Usage(long tokensIn, long tokensOut, Double costUsd, boolean priced, String provider, String model) {

    /** @return the usage in {@code metadata.usage}, or null when the event carries none */
    public static Usage of(Map<String, Object> metadata) {
        if (metadata == null || !(metadata.get(MetadataKeys.USAGE) instanceof Map<?, ?> u)) {
            return null;
        }
        long in = number(u, MetadataKeys.TOKENS_IN);
        long out = number(u, MetadataKeys.TOKENS_OUT);
        Object cost = u.get(MetadataKeys.COST_USD);
        Double costUsd = cost instanceof Number n ? n.doubleValue() : null;
        boolean priced = u.get(MetadataKeys.PRICED) instanceof Boolean b ? b : costUsd != null;
        if (!priced) {
            costUsd = null;
        }
        return new Usage(in, out, costUsd, priced, text(u, MetadataKeys.PROVIDER), text(u, MetadataKeys.MODEL));
    }

    private static long number(Map<?, ?> u, String key) {
        Object v = u.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static String text(Map<?, ?> u, String key) {
        return u.get(key) instanceof String s && !s.isBlank() ? s : null;
    }
}
