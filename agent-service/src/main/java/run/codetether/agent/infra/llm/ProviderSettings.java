package run.codetether.agent.infra.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-provider overrides ({@code codetether.providers.<name>.*}).
 *
 * @param baseUrl API base URL; empty = the provider's public endpoint
 * @param model default model; empty = the catalog default
 * @param region AWS region (bedrock)
 * @param streaming use the streaming API where the provider has one
 * @param apiVersion the {@code api-version} query parameter (azure-openai)
 */
public record ProviderSettings(Optional<String> baseUrl, Optional<String> model, Duration timeout,
        Optional<String> region, boolean streaming, Optional<Integer> contextWindow, Optional<String> apiVersion) {

    public ProviderSettings(Optional<String> baseUrl, Optional<String> model, Duration timeout, Optional<String> region,
            boolean streaming, Optional<Integer> contextWindow) {
        this(baseUrl, model, timeout, region, streaming, contextWindow, Optional.empty());
    }

    public ProviderSettings withApiVersion(String v) {
        return new ProviderSettings(baseUrl, model, timeout, region, streaming, contextWindow, Optional.ofNullable(v));
    }

    public static ProviderSettings defaults() {
        return new ProviderSettings(Optional.empty(), Optional.empty(), Duration.ofMinutes(5), Optional.empty(), true,
                Optional.empty());
    }

    public ProviderSettings withBaseUrl(String url) {
        return new ProviderSettings(Optional.ofNullable(url), model, timeout, region, streaming, contextWindow, apiVersion);
    }

    public ProviderSettings withModel(String m) {
        return new ProviderSettings(baseUrl, Optional.ofNullable(m), timeout, region, streaming, contextWindow, apiVersion);
    }

    public ProviderSettings withStreaming(boolean s) {
        return new ProviderSettings(baseUrl, model, timeout, region, s, contextWindow, apiVersion);
    }

    public ProviderSettings withContextWindow(int w) {
        return new ProviderSettings(baseUrl, model, timeout, region, streaming, Optional.of(w), apiVersion);
    }
}
