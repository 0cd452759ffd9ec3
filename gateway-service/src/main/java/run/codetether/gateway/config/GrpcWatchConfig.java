package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The watch over the gateway's own gRPC server (A2A gRPC binding, WorkerHub), prefix
 * {@code codetether.gateway.grpc-watch}: Quarkus gives up waiting for that server after a minute, logs "still not
 * listening after 1 minute" and serves on without it, so a replica would stay up and never ready. The watch exits
 * the process instead (docs/operations.md "The gateway's gRPC server does not listen").
 */
@ConfigMapping(prefix = "codetether.gateway.grpc-watch")
public interface GrpcWatchConfig {

    /** Whether the watch runs; default true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long the gRPC server may not listen (counted from the gateway's start, or from when it stopped
     * listening) before the process exits with status 3 so that Kubernetes or the launcher starts it again;
     * default 60s.
     */
    @WithDefault("60s")
    Duration timeout();

    /** How often the watch connects to the gRPC port; default 2s. */
    @WithDefault("2s")
    Duration interval();
}
