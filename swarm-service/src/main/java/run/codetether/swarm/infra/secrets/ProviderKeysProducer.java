package run.codetether.swarm.infra.secrets;

import io.quarkus.vault.VaultKVSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import run.codetether.swarm.config.SwarmConfig;

/** Wires {@link ProviderKeys} to Quarkus Vault (only when {@code VAULT_ADDR} is set) and the secrets file. */
@ApplicationScoped
public class ProviderKeysProducer {

    @ConfigProperty(name = "quarkus.vault.url")
    Optional<String> vaultUrl;

    @ConfigProperty(name = "quarkus.vault.kv-secret-engine-mount-path", defaultValue = "secret")
    String vaultMount;

    @Produces
    @ApplicationScoped
    ProviderKeys keys(SwarmConfig config, Instance<VaultKVSecretEngine> kv) {
        // Quarkus Vault fails on first use when no URL is configured: only wire it when there is one
        boolean vault = vaultUrl.isPresent() && !vaultUrl.get().isBlank();
        return new ProviderKeys(vault ? path -> kv.get().readSecret(path) : null,
                vault ? vaultUrl.get() + " mount " + vaultMount : "(none)", config.vault().secretsPath(),
                config.secretsFile().filter(s -> !s.isBlank()).map(Path::of).orElse(ProviderKeys.defaultFile()),
                config.secretsCacheTtl(), Clock.systemUTC());
    }
}
