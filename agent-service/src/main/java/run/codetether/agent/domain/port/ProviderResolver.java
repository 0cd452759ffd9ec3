package run.codetether.agent.domain.port;

import run.codetether.agent.domain.provider.ModelInfo;
import run.codetether.agent.domain.provider.ProviderException;

/** Finds the backend for a provider name (null = the default) and a model id (null = the provider's default). */
public interface ProviderResolver {

    record Resolved(String provider, String modelId, ModelInfo info, ChatProvider chat) {}

    /** @throws ProviderException of kind NOT_CONFIGURED with a message that says how to configure one */
    Resolved resolve(String provider, String model) throws ProviderException;
}
