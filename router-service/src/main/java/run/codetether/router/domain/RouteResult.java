package run.codetether.router.domain;

import java.util.List;

/**
 * The answer to a route request. {@code routed=false} always carries a {@code fallbackReason}; the caller then keeps
 * its own text. {@code source} is "fast_path", "model" or "none".
 */
public record RouteResult(boolean routed, List<ToolCall> calls, String source, Timings timings,
        String fallbackReason) {

    public RouteResult {
        calls = List.copyOf(calls);
        fallbackReason = fallbackReason == null ? "" : fallbackReason;
    }

    /** Where the time of one request went. */
    public record Timings(double queueMs, double prefillMs, double decodeMs, double totalMs, int promptTokens,
            int generatedTokens, int batchSize) {
        public static Timings only(double totalMs) {
            return new Timings(0, 0, 0, totalMs, 0, 0, 0);
        }
    }

    public static RouteResult routed(List<ToolCall> calls, String source, Timings timings) {
        return new RouteResult(true, calls, source, timings, "");
    }

    public static RouteResult notRouted(String reason, Timings timings) {
        return new RouteResult(false, List.of(), "none", timings, reason);
    }
}
