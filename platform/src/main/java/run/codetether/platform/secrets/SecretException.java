package run.codetether.platform.secrets;

/**
 * A secret store is configured but cannot be read (unreachable Vault, refused token, a secrets file others can read
 * or that is not JSON). The message says what to fix and never contains a secret value.
 */
public final class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
