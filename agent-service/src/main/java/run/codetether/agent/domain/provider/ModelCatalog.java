package run.codetether.agent.domain.provider;

import run.codetether.platform.providers.ProviderCatalog;
import run.codetether.platform.providers.ProviderSpec;

/**
 * The agent's view of the shared model catalog ({@link run.codetether.contracts.models.ModelCatalog}, the JSON the
 * gateway and CLI list): context window and price of a provider/model. A model the catalog does not price gets a
 * conservative 128k window and no price, so its cost shows "unpriced" and is never invented.
 */
public final class ModelCatalog {
    private static final int UNKNOWN_WINDOW = 128_000;

    private ModelCatalog() {}

    public static ModelInfo lookup(String provider, String model) {
        return lookup(run.codetether.contracts.models.ModelCatalog.builtIn(), provider, model);
    }

    public static ModelInfo lookup(run.codetether.contracts.models.ModelCatalog catalog, String provider, String model) {
        return catalog.find(provider, model)
                .map(m -> new ModelInfo(provider, model, m.contextWindow(), m.price(), m.maxOutput(),
                        m.takesImages()))
                .orElse(new ModelInfo(provider, model, UNKNOWN_WINDOW, null));
    }

    /** The default model of a provider; null when the deployment must name one. */
    public static String defaultModel(String provider) {
        return ProviderCatalog.builtIn().find(provider).flatMap(ProviderSpec::defaultModel).orElse(null);
    }
}
