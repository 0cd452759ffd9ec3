package run.codetether.swarm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * Per-provider overrides of the platform's provider catalog, prefix {@code codetether.providers.<name>}: the same
 * keys agent-service reads, so one setting moves both services. Keys never live here (Vault or the secrets file).
 */
@ConfigMapping(prefix = "codetether.providers")
public interface ProvidersConfig {

    @WithParentName
    Map<String, Provider> providers();

    interface Provider {
        /** API base URL; default the catalog's public endpoint (required for local: CODETETHER_LOCAL_BASE_URL). */
        Optional<String> baseUrl();

        /** Default model; default the catalog's (required for local: CODETETHER_LOCAL_MODEL). */
        Optional<String> model();
    }
}
