package run.codetether.swarm.infra.secrets;

import io.quarkus.vault.VaultKVSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.platform.secrets.CachingSecretSource;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.platform.secrets.KvLayout;
import run.codetether.platform.secrets.KvSecretSource;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.platform.secrets.SecretsPath;
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
        List<SecretSource> sources = new ArrayList<>();
        // Quarkus Vault fails on first use when no URL is configured: only wire it when there is one
        if (vaultUrl.isPresent() && !vaultUrl.get().isBlank()) {
            sources.add(new KvSecretSource(path -> kv.get().readSecret(path), new KvLayout(config.vault().secretsPath()),
                    vaultUrl.get() + " mount " + vaultMount));
        }
        sources.add(new FileSecretSource(SecretsPath.resolve(config.secretsFile())));
        return new CachingSecretSource(sources, config.secretsCacheTtl(), Clock.systemUTC());
    }
}
