package run.codetether.gateway.api.stats;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import run.codetether.gateway.api.access.RestAdmission;
import run.codetether.gateway.config.StatsConfig;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.stats.SpendStats;
import run.codetether.gateway.infra.stats.StatsBeans;

/**
 * {@code GET /v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&tenant=T} (docs/providers.md "Spend and stats"): the tenants'
 * tasks, tokens and cost per UTC day, summed over the agent replicas' records on {@code tenants.spend}, per day and
 * per day-provider-model. Same authentication as A2A; a caller reads only the tenants its key's tenant binding ({@link run.codetether.gateway.domain.TenantGrant}) allows it
 * ({@code tenant} picks one of them; none: all of them). Days default to the 30 ending today (UTC). Bad parameters are
 * 400, a tenant the caller may not read 403, the figures not read yet 503, each with {@code {"error": {"code",
 * "message"}}}.
 */
@Path("/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
    /** Days shown when {@code from} is not given. */
    static final int DEFAULT_DAYS = 30;

    private final RestAdmission admission;
    private final StatsBeans beans;
    private final StatsConfig config;
    private final Clock clock = Clock.systemUTC();

    public StatsResource(RestAdmission admission, StatsBeans beans, StatsConfig config) {
        this.admission = admission;
        this.beans = beans;
        this.config = config;
    }

    @GET
    @Blocking
    public Response stats(@Context HttpServerRequest request, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("tenant") String tenant) {
        Caller caller = admission.admit(request);
        LocalDate last;
        LocalDate first;
        try {
            last = day("to", to, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
            first = day("from", from, last.minusDays(DEFAULT_DAYS - 1));
        } catch (IllegalArgumentException e) {
            return error(400, "INVALID_ARGUMENT", e.getMessage());
        }
        if (first.isAfter(last)) {
            return error(400, "INVALID_ARGUMENT", "from " + first + " is after to " + last);
        }
        long days = ChronoUnit.DAYS.between(first, last) + 1;
        if (days > config.maxDays()) {
            return error(400, "INVALID_ARGUMENT", "the range " + first + ".." + last + " has " + days
                    + " days; at most " + config.maxDays() + " (codetether.gateway.stats.max-days)");
        }
        Optional<Set<String>> tenants = caller.tenants().readable();
        if (tenant != null && !tenant.isBlank()) {
            String t = tenant.strip();
            if (!caller.tenants().mayUse(t)) {
                return error(403, "PERMISSION_DENIED", "client '" + caller.clientId() + "' may not read the spend "
                        + "of tenant '" + t + "': it is bound to " + caller.tenants().describe()
                        + " (codetether.gateway.auth.tenants." + caller.clientId() + ")");
            }
            tenants = Optional.of(Set.of(t));
        }
        Optional<String> unavailable = beans.unavailable();
        if (unavailable.isPresent()) {
            return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", "1")
                    .entity(errorBody("UNAVAILABLE", "the spend figures cannot be served yet: " + unavailable.get()))
                    .build();
        }
        return Response.ok(view(first, last, tenants, beans.stats().query(first, last, tenants))).build();
    }

    private static LocalDate day(String name, String value, LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a day as YYYY-MM-DD, not '" + value + "'");
        }
    }

    /**
     * {@code {"from", "to", "tenants": [..] | null (all), "days": [{"day", "tenant", "tasks", "calls",
     * "unpriced_calls", "tokens_in", "tokens_out", "cache_read_tokens", "cache_write_tokens", "cost_usd",
     * "replicas"}], "rows": [{"day", "tenant", "provider", "model", "tasks", "calls", "tokens_in", "tokens_out",
     * "cache_read_tokens", "cache_write_tokens", "cost_usd", "unpriced_calls", "unpriced_tasks"}]}}; {@code cost_usd}
     * is null where unknown (unpriced), never 0.
     */
    static Map<String, Object> view(LocalDate from, LocalDate to, Optional<Set<String>> tenants,
            SpendStats.Report report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("tenants", tenants.map(TreeSet::new).orElse(null));
        List<Map<String, Object>> days = new ArrayList<>();
        for (SpendStats.Day d : report.days()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("day", d.day().toString());
            m.put("tenant", d.tenant());
            m.put("tasks", d.tasks());
            m.put("calls", d.calls());
            m.put("unpriced_calls", d.unpricedCalls());
            m.put("tokens_in", d.tokensIn());
            m.put("tokens_out", d.tokensOut());
            m.put("cache_read_tokens", d.cacheReadTokens());
            m.put("cache_write_tokens", d.cacheWriteTokens());
            m.put("cost_usd", d.costUsd());
            m.put("replicas", d.replicas());
            days.add(m);
        }
        out.put("days", days);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SpendStats.ModelDay r : report.models()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("day", r.day().toString());
            m.put("tenant", r.tenant());
            m.put("provider", r.provider());
            m.put("model", r.model());
            m.put("tasks", r.tasks());
            m.put("calls", r.calls());
            m.put("tokens_in", r.tokensIn());
            m.put("tokens_out", r.tokensOut());
            m.put("cache_read_tokens", r.cacheReadTokens());
            m.put("cache_write_tokens", r.cacheWriteTokens());
            m.put("cost_usd", r.costUsd());
            // the catalog prices a model or not at all: an unpriced model's calls and tasks are all unpriced
            m.put("unpriced_calls", r.costUsd() == null ? r.calls() : 0);
            m.put("unpriced_tasks", r.costUsd() == null ? r.tasks() : 0);
            rows.add(m);
        }
        out.put("rows", rows);
        return out;
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(errorBody(code, message)).build();
    }

    private static Map<String, Object> errorBody(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }
}
