package run.codetether.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the router-service, prefix {@code codetether.router}. */
@ConfigMapping(prefix = "codetether.router")
public interface RouterConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();
}
