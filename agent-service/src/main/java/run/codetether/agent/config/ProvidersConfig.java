package run.codetether.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Per-provider overrides, prefix {@code codetether.providers.<name>}. Keys never live here (Vault or the secrets file). */
@ConfigMapping(prefix = "codetether.providers")
public interface ProvidersConfig {

    @WithParentName
    Map<String, Provider> providers();

    interface Provider {
        /** API base URL; default the provider's public endpoint (required for local). */
        Optional<String> baseUrl();

        /** Default model; default the catalog's (kimi-k2.5, claude-sonnet-4, gemini-2.5-pro ...). */
        Optional<String> model();

        /** Read timeout of one call; default 5m. */
        @WithDefault("5m")
        Duration timeout();

        /** AWS region (bedrock); default from the secret, else us-east-1. */
        Optional<String> region();

        /** Use the streaming API where the provider has one; default true. */
        @WithDefault("true")
        boolean streaming();

        /** Context window override in tokens; default from the model catalog. */
        Optional<Integer> contextWindow();

        /** The {@code api-version} query parameter of azure-openai; default 2024-10-21 (ignored by the others). */
        Optional<String> apiVersion();
    }
}
