package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operator dashboard's settings, prefix {@code codetether.gateway.dashboard}. */
@ConfigMapping(prefix = "codetether.gateway.dashboard")
public interface DashboardConfig {

    /** Serve the dashboard's API (the page itself is static); default true. */
    @WithDefault("true")
    boolean enabled();

    /** Task summaries each replica keeps for the dashboard (oldest ended first out); default 5000. */
    @WithDefault("5000")
    int maxTasks();

    /** Events per partition of {@code tasks.events} re-read at start to rebuild recent summaries; default 5000. */
    @WithDefault("5000")
    int replayPerPartition();

    /**
     * Without a dashboard request or open live stream for this long, the replica stops reading task events for the
     * dashboard (they cost CPU per task while nobody looks); the next request waits until the board caught up from
     * the task store (at most {@code catch-up-wait}). 0 keeps reading always; default 60s.
     */
    @WithDefault("60s")
    Duration idleAfter();

    /** Longest a dashboard request waits for the board to catch up after an idle pause; default 5s. */
    @WithDefault("5s")
    Duration catchUpWait();

    /** Changed tasks remembered per open page before it is told to reload its list; default 2000. */
    @WithDefault("2000")
    int maxPendingPerClient();

    /** Shortest interval between two task-list updates sent to one page (coalescing); default 250ms. */
    @WithDefault("250ms")
    Duration flushInterval();

    /** SSE keep-alive comment interval of the dashboard stream; default 15s. */
    @WithDefault("15s")
    Duration keepAlive();

    /** Most events read from Kafka to build one task's timeline; default 50000. */
    @WithDefault("50000")
    int timelineMaxScan();

    /**
     * Longest one timeline read may take, the broker's metadata and offsets included; past it the request gets 503
     * naming the partition and offset the read stood at; default 10s.
     */
    @WithDefault("10s")
    Duration timelineReadTimeout();

    /** Timeline reads running at once on this replica (more get 503); default 4. */
    @WithDefault("4")
    int timelineConcurrency();

    /** Interval of the health and metrics scrapes while a dashboard watches; default 5s. */
    @WithDefault("5s")
    Duration scrapeInterval();

    /** Timeout of one health or metrics request to a service; default 2s. */
    @WithDefault("2s")
    Duration probeTimeout();

    /** Scrapes kept for the charts; default 120 (10 minutes at 5 s). */
    @WithDefault("120")
    int history();

    /**
     * The platform's services by name ({@code agent}, {@code router}, {@code swarm}, {@code tools}, ...) whose
     * readiness ({@code /q/health/ready}) and metrics ({@code /q/metrics}) the dashboard shows; default none. The
     * gateway itself is always shown.
     */
    Map<String, Service> services();

    /** OpenID Connect login in the page; off unless a client id is set (the gateway's JWT settings must be on). */
    Oidc oidc();

    interface Service {
        /** Base URL of the service's HTTP port, e.g. {@code http://agent-service:8081}; no default. */
        String url();
    }

    interface Oidc {
        /** Public (PKCE) client id the page logs in with; no default (no login button). */
        Optional<String> clientId();

        /** Scopes the page asks for; default {@code openid profile}. */
        @WithDefault("openid,profile")
        List<String> scopes();
    }
}
