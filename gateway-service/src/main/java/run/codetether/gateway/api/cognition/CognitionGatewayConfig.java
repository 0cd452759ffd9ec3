package run.codetether.gateway.api.cognition;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the gateway's cognition API, prefix {@code codetether.gateway.cognition}. (Kept in this package
 * because the gateway's {@code config} package belongs to the A2A work; move it there when the two meet.)
 */
@ConfigMapping(prefix = "codetether.gateway.cognition")
public interface CognitionGatewayConfig {

    /** How long a POST waits for swarm-service's reply before answering 504; default 10s. */
    @WithDefault("10s")
    Duration replyTimeout();

    /** Thought events kept for resume (CODETETHER_COGNITION_MAX_EVENTS); default 2000. */
    @WithDefault("2000")
    int maxEvents();

    /** Snapshots kept (CODETETHER_COGNITION_MAX_SNAPSHOTS); default 128. */
    @WithDefault("128")
    int maxSnapshots();

    /** Events queued per SSE client before the oldest unsent are dropped and a lag event is sent; default 256. */
    @WithDefault("256")
    int subscriberBuffer();

    /** SSE keep-alive comment interval when no event flows; default 15s. */
    @WithDefault("15s")
    Duration keepAlive();

    /** Loop interval reported before swarm-service has published any state (CODETETHER_COGNITION_LOOP_INTERVAL_MS); default 2000. */
    @WithDefault("2000")
    long loopIntervalMs();

    /** Reported as {@code enabled} before swarm-service has published any state (CODETETHER_COGNITION_ENABLED); default true. */
    @WithDefault("true")
    boolean enabled();
}
