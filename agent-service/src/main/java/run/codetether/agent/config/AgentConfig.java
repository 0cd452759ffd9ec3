package run.codetether.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the agent-service, prefix {@code codetether.agent}. */
@ConfigMapping(prefix = "codetether.agent")
public interface AgentConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();
}
