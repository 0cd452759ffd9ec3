package run.codetether.router.domain;

import java.time.Duration;
import java.util.List;

/**
 * One routing request after defaults were applied: the assistant text, the offered tools, the token budget,
 * the sampling temperature (0 = greedy), the overall timeout and whether to skip the model-free fast path.
 */
public record RouteCommand(String text, List<ToolSpec> tools, int maxTokens, float temperature, Duration timeout,
        boolean disableFastPath) {
    public RouteCommand {
        tools = List.copyOf(tools);
    }
}
