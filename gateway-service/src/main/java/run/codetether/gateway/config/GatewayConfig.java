package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the gateway-service, prefix {@code codetether.gateway}. */
@ConfigMapping(prefix = "codetether.gateway")
public interface GatewayConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();
}
