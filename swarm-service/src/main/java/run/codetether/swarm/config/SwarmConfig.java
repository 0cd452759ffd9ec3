package run.codetether.swarm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the swarm-service, prefix {@code codetether.swarm}. */
@ConfigMapping(prefix = "codetether.swarm")
public interface SwarmConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();
}
