package run.codetether.agent.domain.swarm;

import java.time.Duration;

/**
 * Limits of the {@code swarm} tool.
 *
 * @param defaultTimeout how long the tool waits for the swarm when the call names no {@code timeout_secs}
 * @param pollInterval how often the waiting tool checks for the task's stop signal between updates
 */
public record SwarmToolSettings(Duration defaultTimeout, Duration pollInterval) {
    public SwarmToolSettings {
        if (defaultTimeout == null || defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive");
        }
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
    }

    public static SwarmToolSettings defaults() {
        return new SwarmToolSettings(Duration.ofMinutes(10), Duration.ofMillis(250));
    }
}
