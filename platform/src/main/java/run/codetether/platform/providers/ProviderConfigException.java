package run.codetether.platform.providers;

/** A provider that is unknown or not configured enough to call; the message says what to set. */
public final class ProviderConfigException extends RuntimeException {
    public ProviderConfigException(String message) {
        super(message);
    }
}
