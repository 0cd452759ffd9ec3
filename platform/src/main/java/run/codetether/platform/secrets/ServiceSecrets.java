package run.codetether.platform.secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The secret source every service that reads provider keys builds the same way: Vault first (only when its address
 * is configured: Quarkus Vault fails on first use without one), then the local secrets file at the platform's path
 * rule, cached for the service's TTL. One place, so the agent and the swarm cannot drift apart in where they look.
 */
public final class ServiceSecrets {
    private ServiceSecrets() {}

    /** Where a service's Vault is, if it has one. */
    public record Vault(Optional<String> url, String mount, String secretsPath, KvSecretSource.KvReader reader) {
        boolean configured() {
            return url.isPresent() && !url.get().isBlank();
        }
    }

    /**
     * @param secretsFile the configured secrets file, or empty for {@link SecretsPath}'s rule
     * @param ttl how long an answer (found or not) is kept
     */
    public static CachingSecretSource layered(Vault vault, Optional<String> secretsFile, Duration ttl, Clock clock) {
        List<SecretSource> sources = new ArrayList<>();
        if (vault.configured()) {
            sources.add(new KvSecretSource(vault.reader(), new KvLayout(vault.secretsPath()),
                    vault.url().get() + " mount " + vault.mount()));
        }
        sources.add(new FileSecretSource(SecretsPath.resolve(secretsFile)));
        return new CachingSecretSource(sources, ttl, clock);
    }
}
