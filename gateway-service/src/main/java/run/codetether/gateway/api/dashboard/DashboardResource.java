package run.codetether.gateway.api.dashboard;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.access.RestAdmission;
import run.codetether.gateway.config.DashboardConfig;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.dashboard.Access;
import run.codetether.gateway.domain.dashboard.BoardSubscription;
import run.codetether.gateway.domain.dashboard.BoardWatchers;
import run.codetether.gateway.domain.dashboard.TaskBoard;
import run.codetether.gateway.domain.dashboard.TaskSummary;
import run.codetether.gateway.domain.dashboard.Timeline;
import run.codetether.gateway.infra.dashboard.DashboardMonitor;
import run.codetether.gateway.infra.dashboard.KafkaTimelineReader;

/**
 * The operator dashboard's own API, beside A2A (which the page uses for everything A2A offers: send, get, subscribe,
 * cancel): the live task list over SSE, a task's timeline read back from the log, and the platform's health and
 * capacity. Same authentication as A2A; every task answer is limited to the caller's tasks in the tenant it names.
 */
@Path("/v1/dashboard")
public class DashboardResource {
    private static final Logger LOG = Logger.getLogger(DashboardResource.class);
    static final int MAX_LIST = 1000;

    private final TaskBoard board;
    private final KafkaTimelineReader timelines;
    private final DashboardMonitor monitor;
    private final BoardWatchers watchers;
    private final RestAdmission guard;
    private final DashboardConfig config;
    private final GatewayConfig gateway;

    public DashboardResource(TaskBoard board, KafkaTimelineReader timelines, DashboardMonitor monitor,
            BoardWatchers watchers, RestAdmission guard, DashboardConfig config, GatewayConfig gateway) {
        this.watchers = watchers;
        this.board = board;
        this.timelines = timelines;
        this.monitor = monitor;
        this.guard = guard;
        this.config = config;
        this.gateway = gateway;
    }

    /** What the page needs before it can authenticate: whether a key is needed and how to log in. Public. */
    @GET
    @Path("/config")
    public Response config() {
        enabled();
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("open", gateway.auth().open());
        auth.put("api_keys", gateway.auth().apiKeys().map(k -> !k.isEmpty()).orElse(false));
        var jwt = gateway.auth().jwt();
        if (config.oidc().clientId().isPresent() && jwt.issuer().isPresent()) {
            auth.put("oidc", Map.of("issuer", jwt.issuer().get(), "client_id", config.oidc().clientId().get(),
                    "scopes", String.join(" ", config.oidc().scopes())));
        }
        return DashboardJson.ok(Map.of("auth", auth, "instance", gateway.instanceId()));
    }

    /** Who the presented credentials belong to (the page's check of an entered key). */
    @GET
    @Path("/me")
    public Response me(@Context HttpServerRequest request) {
        enabled();
        Caller caller = guard.admit(request);
        return DashboardJson.ok(Map.of("client_id", caller.clientId(), "anonymous", caller.equals(Caller.ANONYMOUS)));
    }

    @GET
    @Path("/tasks")
    public Response tasks(@Context HttpServerRequest request, @QueryParam("tenant") String tenant,
            @QueryParam("limit") Integer limit) {
        enabled();
        Caller caller = guard.admit(request);
        int n = limit == null ? 200 : limit;
        if (n < 1 || n > MAX_LIST) {
            throw DashboardJson.failure(400, "INVALID_PARAMS", "limit must be between 1 and " + MAX_LIST);
        }
        return DashboardJson.ok(Map.of("tasks", board.list(visible(caller, tenant), n),
                "stats", board.stats(visible(caller, tenant))));
    }

    /** One task's summary and, for a swarm, its sub-agents' summaries. */
    @GET
    @Path("/tasks/{id}")
    public Response task(@Context HttpServerRequest request, @PathParam("id") String id,
            @QueryParam("tenant") String tenant) {
        enabled();
        Caller caller = guard.admit(request);
        TaskSummary s = board.get(id).filter(visible(caller, tenant)).orElseThrow(() -> notFound(id));
        List<TaskSummary> children = board.children(id).stream().filter(visible(caller, tenant)).toList();
        return DashboardJson.ok(Map.of("task", s, "children", children));
    }

    /** The task's events read back from the log (A2A 1.0 stream item shapes), for the timeline of an opened task. */
    @GET
    @Path("/tasks/{id}/timeline")
    @Blocking
    public Response timeline(@Context HttpServerRequest request, @PathParam("id") String id,
            @QueryParam("tenant") String tenant) {
        enabled();
        Caller caller = guard.admit(request);
        TaskSummary s = board.get(id).orElse(null);
        if (s == null || !visible(caller, tenant).test(s)) {
            throw notFound(id); // a task this replica does not know is treated as unknown: no scan for strangers
        }
        Timeline t;
        try {
            t = timelines.read(id, s);
        } catch (KafkaTimelineReader.Busy e) {
            throw DashboardJson.failure(503, "UNAVAILABLE", e.getMessage());
        } catch (KafkaTimelineReader.Unavailable e) {
            LOG.debugf("timeline of %s: %s", id, e.getMessage());
            throw new WebApplicationException(e.getMessage(), Response.fromResponse(
                    DashboardJson.error(503, "UNAVAILABLE", e.getMessage())).header("Retry-After", "5").build());
        } catch (RuntimeException e) {
            LOG.warnf("timeline of %s failed: %s", id, e.toString());
            throw DashboardJson.failure(503, "UNAVAILABLE", "cannot read the task's events from Kafka: " + e.getMessage());
        }
        return Response.ok(TimelineJson.of(t).toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Readiness of every service, Kafka consumer lag and capacity figures with their recent history. */
    @GET
    @Path("/health")
    @Blocking
    public Response health(@Context HttpServerRequest request) {
        enabled();
        guard.admit(request);
        if (!monitor.knowsSelf() && request.localAddress() != null) {
            monitor.self(java.net.URI.create("http://127.0.0.1:" + request.localAddress().port()));
        }
        return DashboardJson.ok(monitor.snapshot());
    }

    /** The live task list: snapshot, then changed summaries (see {@link BoardStreamWriter}). */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context HttpServerRequest request, @Context SseEventSink sink, @Context Sse sse,
            @QueryParam("tenant") String tenant) {
        enabled();
        Caller caller = guard.admit(request);
        BoardSubscription subscription = board.subscribe(config.maxPendingPerClient());
        Predicate<TaskSummary> visible = visible(caller, tenant);
        sink.send(sse.newEventBuilder().comment("connected").build()).whenComplete((ok, error) -> {
            if (error != null) {
                board.unsubscribe(subscription);
            } else {
                Thread.ofVirtual().name("dashboard-sse").start(new BoardStreamWriter(board, subscription, visible,
                        sink, sse, config.flushInterval(), config.keepAlive(), MAX_LIST));
            }
        });
    }

    /** The caller's summaries in the tenant it named; a tenant its key is not bound to is 403. */
    private static Predicate<TaskSummary> visible(Caller caller, String tenant) {
        if (tenant != null && !tenant.isEmpty() && !caller.tenants().mayUse(tenant)) {
            throw DashboardJson.failure(403, "PERMISSION_DENIED",
                    A2AException.tenantNotBound(caller, tenant).getMessage());
        }
        return s -> Access.visible(s, caller, tenant);
    }

    private static jakarta.ws.rs.WebApplicationException notFound(String id) {
        return DashboardJson.failure(404, "TASK_NOT_FOUND", "Task not found: " + id);
    }

    private void enabled() {
        if (!config.enabled()) {
            throw DashboardJson.failure(404, "NOT_FOUND", "the dashboard API is turned off on this gateway "
                    + "(codetether.gateway.dashboard.enabled=false)");
        }
        // a request wakes the feed that paused while nobody watched; it answers once the board caught up (bounded)
        watchers.seen();
        try {
            watchers.awaitCurrent(config.catchUpWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
