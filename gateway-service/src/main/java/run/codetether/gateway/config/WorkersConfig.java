package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Worker mode on the gateway (docs/worker.md): the WorkerHub gRPC stream and the workers registry. */
@ConfigMapping(prefix = "codetether.gateway.workers")
public interface WorkersConfig {
    /** Accept worker streams on this replica; default true. */
    @WithDefault("true")
    boolean enabled();

    /** How often a worker sends a heartbeat (told to it in Registered); default 10s. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * How long a worker whose stream broke (no Deregister) stays listed, so that a quick reconnect keeps its calls
     * going; default 30s.
     */
    @WithDefault("30s")
    Duration grace();
}
