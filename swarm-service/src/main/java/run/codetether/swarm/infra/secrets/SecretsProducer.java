package run.codetether.swarm.infra.secrets;

import io.quarkus.vault.VaultKVSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.platform.secrets.ServiceSecrets;
import run.codetether.swarm.config.SwarmConfig;

/**
 * The service's {@link SecretSource}: Vault (only when {@code VAULT_ADDR} is set), then the local secrets file at
 * the platform's path rule, cached for {@code secrets-cache-ttl}.
 */
@ApplicationScoped
public class SecretsProducer {

    @ConfigProperty(name = "quarkus.vault.url")
    Optional<String> vaultUrl;

    @ConfigProperty(name = "quarkus.vault.kv-secret-engine-mount-path", defaultValue = "secret")
    String vaultMount;

    @Produces
    @ApplicationScoped
    SecretSource secrets(SwarmConfig config, Instance<VaultKVSecretEngine> kv) {
        return ServiceSecrets.layered(new ServiceSecrets.Vault(vaultUrl, vaultMount, config.vault().secretsPath(),
                path -> kv.get().readSecret(path)), config.secretsFile(), config.secretsCacheTtl(), Clock.systemUTC());
    }
}
