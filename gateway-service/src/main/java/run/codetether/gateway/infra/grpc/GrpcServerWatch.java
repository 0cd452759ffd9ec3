package run.codetether.gateway.infra.grpc;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import run.codetether.gateway.config.GrpcWatchConfig;

/**
 * Readiness {@value #NAME}, and the exit of a gateway whose gRPC server does not listen. Quarkus starts that server
 * (its own, {@code quarkus.grpc.server.use-separate-server}) and, when it is not listening after a minute (seen at
 * load 65) or failed to bind, logs the error and serves HTTP on without it: the replica stayed up, never ready, and
 * nothing restarted it (readiness does not restart a pod; the launcher restarts nothing that runs). Quarkus cannot
 * start that server again in the same process, so the gateway exits (status {@value #EXIT_STATUS}, the reason
 * logged) after {@code codetether.gateway.grpc-watch.timeout} without a listening server, and is started again.
 */
@ApplicationScoped
@Readiness
public class GrpcServerWatch implements HealthCheck {
    public static final String NAME = "grpc-server";
    /** The process's exit status when the gRPC server did not listen in time. */
    public static final int EXIT_STATUS = 3;
    private static final Logger LOG = Logger.getLogger(GrpcServerWatch.class);

    private final GrpcWatchConfig config;
    private volatile ListenWatch watch;

    public GrpcServerWatch(GrpcWatchConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.warn("the gRPC server watch is off (codetether.gateway.grpc-watch.enabled=false): a gateway whose "
                    + "gRPC server does not listen stays up, not ready");
            return;
        }
        watch = new ListenWatch("gRPC server", GrpcServerWatch::address, config.timeout(), config.interval(),
                message -> {
                    LOG.error(message);
                    Quarkus.asyncExit(EXIT_STATUS);
                }).start();
    }

    void stop(@Observes ShutdownEvent ev) {
        ListenWatch w = watch;
        if (w != null) {
            w.close();
        }
    }

    /**
     * Where the gRPC server should listen: its configured port (in tests the one it bound, 0 before), on loopback
     * when it listens on every address.
     */
    static Optional<InetSocketAddress> address() {
        Config c = ConfigProvider.getConfig();
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.grpc.server.test-port"
                : "quarkus.grpc.server.port";
        int port = c.getOptionalValue(key, Integer.class).orElse(9000);
        if (port <= 0) {
            return Optional.empty();
        }
        String host = c.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("0.0.0.0");
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return Optional.of(new InetSocketAddress(host, port));
    }

    @Override
    public HealthCheckResponse call() {
        ListenWatch w = watch;
        if (w == null) {
            return HealthCheckResponse.named(NAME).status(!config.enabled()).withData("watch",
                    config.enabled() ? "not started" : "off").build();
        }
        var response = HealthCheckResponse.named(NAME).status(w.listening());
        switch (w.state()) {
            case ListenWatch.State.Listening l -> response.withData("listening",
                    l.at().getHostString() + ":" + l.at().getPort());
            case ListenWatch.State.NotListening n -> response.withData("notListeningFor",
                    Duration.ofNanos(System.nanoTime() - n.sinceNanos()).toSeconds() + "s")
                    .withData("why", n.why()).withData("exitsAfter", config.timeout().toString());
            case ListenWatch.State.Stuck s -> response.withData("exiting", s.message());
        }
        return response.build();
    }
}
