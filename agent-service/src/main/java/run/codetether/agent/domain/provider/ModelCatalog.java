package run.codetether.agent.domain.provider;

import java.util.Map;

/**
 * Context windows and list prices of the default models (USD per million tokens, as published by each provider
 * when this was written; override per deployment with {@code codetether.providers.<name>.*}). Unknown models get
 * a conservative 128k window and zero price, so cost is never invented.
 */
public final class ModelCatalog {
    private static final Map<String, ModelInfo> KNOWN = Map.ofEntries(
            entry("moonshotai", "kimi-k2.5", 262_144, 0.60, 2.50),
            entry("github-copilot", "gpt-4o", 128_000, 0, 0),
            entry("openrouter", "moonshotai/kimi-k2", 131_072, 0.60, 2.50),
            entry("google", "gemini-2.5-pro", 1_048_576, 1.25, 10.0),
            entry("anthropic", "claude-sonnet-4", 200_000, 3.0, 15.0),
            entry("anthropic", "claude-sonnet-4-20250514", 200_000, 3.0, 15.0),
            entry("stepfun", "step-2-16k", 16_384, 5.5, 16.4),
            entry("bedrock", "anthropic.claude-sonnet-4-20250514-v1:0", 200_000, 3.0, 15.0));

    private ModelCatalog() {}

    private static Map.Entry<String, ModelInfo> entry(String p, String m, int ctx, double in, double out) {
        return Map.entry(p + "/" + m, new ModelInfo(p, m, ctx, in, out));
    }

    public static ModelInfo lookup(String provider, String model) {
        ModelInfo known = KNOWN.get(provider + "/" + model);
        return known != null ? known : new ModelInfo(provider, model, 128_000, 0, 0);
    }

    /** The default model of a provider; null when the deployment must name one. */
    public static String defaultModel(String provider) {
        return ProviderKind.of(provider).flatMap(ProviderKind::defaultModel).orElse(null);
    }
}
