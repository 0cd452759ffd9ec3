package run.codetether.platform.providers;

import java.util.Optional;

/**
 * A provider resolved for one call: the catalog entry, the base URL (the override, else the default; empty only
 * for bedrock, whose endpoint is the region's) and the model (the call's, else the override, else the default).
 */
public record ProviderEndpoint(ProviderSpec spec, Optional<String> baseUrl, String model) {
    public String name() {
        return spec.name();
    }

    public WireProtocol protocol() {
        return spec.protocol();
    }
}
