package run.codetether.gateway.infra.kafka;

import java.time.Duration;

/** Settings of the gateway's loops over {@code Traffic.RARE} topics (push configs, worker registry and calls). */
public final class RareLoops {
    /**
     * How long an idle loop's poll waits before its thread wakes to run its before-poll check and poll again. A
     * record answers the broker's held fetch, and so the poll, at once: this wait bounds only a check that follows a
     * poll which moved the position without handing records over. At 200 ms each such loop woke 5 times a second
     * with nothing to do (issue 18: a sixth of the idle gateway's reader wake-ups).
     */
    public static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private RareLoops() {}
}
