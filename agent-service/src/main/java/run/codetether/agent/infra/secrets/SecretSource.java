package run.codetether.agent.infra.secrets;

import java.util.Map;
import java.util.Optional;

/**
 * Where provider credentials come from. A provider's secret is a small map: {@code api_key} for most, or
 * {@code aws_access_key_id}/{@code aws_secret_access_key}/{@code aws_region} for bedrock. Implementations never
 * log values.
 */
public interface SecretSource {

    /** @throws SecretException when the store is configured but cannot be read (the message says how to fix it) */
    Optional<Map<String, String>> read(String provider);

    /** Forgets a cached value, e.g. after the provider rejected the key (rotation). */
    default void invalidate(String provider) {}

    /** Where this source looks, for messages ("Vault at http://...", "file ~/.config/..."). */
    String describe();

    final class SecretException extends RuntimeException {
        public SecretException(String message) {
            super(message);
        }
    }
}
