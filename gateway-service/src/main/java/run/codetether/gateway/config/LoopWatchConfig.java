package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The watch over the gateway's Kafka loops, prefix {@code codetether.gateway.loop-watch}: a loop that died and was
 * not started again (all but the task event reader, which restarts itself) exits the gateway so that it is started
 * again (docs/operations.md "A gateway Kafka loop dies").
 */
@ConfigMapping(prefix = "codetether.gateway.loop-watch")
public interface LoopWatchConfig {

    /** Whether the watch runs; default true. */
    @WithDefault("true")
    boolean enabled();

    /** How long a loop may stay dead before the gateway exits with status 4; default 60s. */
    @WithDefault("60s")
    Duration timeout();

    /** How often the loops are looked at; default 5s. */
    @WithDefault("5s")
    Duration interval();
}
