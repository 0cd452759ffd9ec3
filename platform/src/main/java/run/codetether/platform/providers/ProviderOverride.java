package run.codetether.platform.providers;

import java.util.Optional;

/**
 * What a deployment sets for one provider ({@code codetether.providers.<name>.base-url}, {@code .model}); blank
 * values count as unset.
 */
public record ProviderOverride(Optional<String> baseUrl, Optional<String> model) {
    public static final ProviderOverride NONE = new ProviderOverride(Optional.empty(), Optional.empty());

    public ProviderOverride {
        baseUrl = baseUrl == null ? Optional.empty() : baseUrl.map(String::strip).filter(s -> !s.isEmpty());
        model = model == null ? Optional.empty() : model.map(String::strip).filter(s -> !s.isEmpty());
    }

    public static ProviderOverride of(String baseUrl, String model) {
        return new ProviderOverride(Optional.ofNullable(baseUrl), Optional.ofNullable(model));
    }
}
