package run.codetether.agent.infra.tools;

import java.time.Duration;

/**
 * How the agent repeats a tools-service call that tools-service's death cut off: the same request (same session,
 * same call id) after {@code backoff}, doubling up to {@code maxBackoff}, until {@code retryFor} has passed. The same
 * call id is what makes repeating safe: tools-service answers a finished call from its result store and a call it
 * was running when it died with INTERRUPTED (its start marker), so nothing runs twice.
 */
public record ToolRetry(Duration retryFor, Duration backoff, Duration maxBackoff) {

    /** 2 min / 200 ms / 5 s: the defaults of {@code codetether.agent.tools.retry-*}. */
    public static final ToolRetry DEFAULTS = new ToolRetry(Duration.ofMinutes(2), Duration.ofMillis(200),
            Duration.ofSeconds(5));

    public ToolRetry {
        if (retryFor.isNegative() || backoff.isNegative() || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("codetether.agent.tools.retry-for must be >= 0, retry-backoff > 0 and"
                    + " retry-max-backoff >= retry-backoff (got " + retryFor + ", " + backoff + ", " + maxBackoff + ")");
        }
    }

    /** The wait after {@code current}: doubled, at most {@code maxBackoff}. */
    Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }
}
