package run.codetether.swarm.infra.secrets;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import run.codetether.fixtures.vault.VaultTestServer;

/** A Vault (KV v2, token auth) holding the key of the swarm's default provider, for the module's one Quarkus boot. */
public class VaultTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String TOKEN = "swarm-it-root-token";
    public static final String KEY = "sk-swarm-vault-key-0123";
    private VaultTestServer vault;

    @Override
    public Map<String, String> start() {
        vault = VaultTestServer.start(TOKEN).put("secret", "codetether/providers/local", Map.of("api_key", KEY));
        // the test rotates the key through this address (tests and resources may use different class loaders)
        System.setProperty("ct.swarm.it.vault.addr", vault.address());
        return Map.of("quarkus.vault.url", vault.address(),
                "quarkus.vault.authentication.client-token", TOKEN,
                "codetether.swarm.secrets-cache-ttl", "0s");
    }

    @Override
    public void stop() {
        if (vault != null) {
            vault.close();
        }
    }
}
