package run.codetether.tools.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the tools-service, prefix {@code codetether.tools}. */
@ConfigMapping(prefix = "codetether.tools")
public interface ToolsConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();
}
