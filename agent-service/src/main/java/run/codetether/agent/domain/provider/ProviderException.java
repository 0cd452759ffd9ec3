package run.codetether.agent.domain.provider;

import java.time.Duration;

/**
 * A provider call failed. The message is safe to show users and to log: adapters build it from the status and
 * the provider's error text, never from request headers, so it carries no key.
 */
public final class ProviderException extends Exception {

    public enum Kind {
        /** No provider or no key configured. */
        NOT_CONFIGURED,
        /** 401/403: the key was rejected. */
        AUTH,
        /** 429. */
        RATE_LIMITED,
        /** 5xx or overloaded. */
        SERVER,
        /** Other 4xx: the request itself is wrong; retrying does not help. */
        BAD_REQUEST,
        /** Connection or timeout. */
        TRANSPORT;

        public boolean retriable() {
            return this == RATE_LIMITED || this == SERVER || this == TRANSPORT;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public ProviderException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
