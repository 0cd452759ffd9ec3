package run.codetether.gateway.api.worker;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.api.access.RestAdmission;
import run.codetether.gateway.domain.worker.WorkerDirectory;

/**
 * {@code GET /v1/workers} and {@code GET /v1/codebases} (INTERFACES.md): the caller's connected workers and their
 * codebases, platform-wide (every replica's, from the workers registry). Same authentication as A2A. While the
 * registry's reader starts (the gateway's first second or so): 503 UNAVAILABLE with Retry-After.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {
    private final RestAdmission admission;
    private final WorkerDirectory directory;

    public WorkersResource(RestAdmission admission, WorkerDirectory directory) {
        this.admission = admission;
        this.directory = directory;
    }

    @GET
    @Path("/workers")
    @Blocking
    public Response workers(@Context HttpServerRequest request) {
        Caller caller = admit(request);
        return Response.ok(Map.of("workers", WorkerViews.workers(directory, caller.clientId()))).build();
    }

    @GET
    @Path("/codebases")
    @Blocking
    public Response codebases(@Context HttpServerRequest request) {
        Caller caller = admit(request);
        return Response.ok(Map.of("codebases", WorkerViews.codebases(directory, caller.clientId()))).build();
    }

    private Caller admit(HttpServerRequest request) {
        Caller caller = admission.admit(request);
        try {
            WorkerViews.requireRead(directory);
        } catch (A2AException e) {
            throw RestAdmission.refusal(e);
        }
        return caller;
    }

    /** The JSON views, shared by REST and the JSON-RPC extension methods. */
    public static final class WorkerViews {
        private WorkerViews() {}

        /** @throws A2AException retryable UNAVAILABLE while the registry is read (other replicas' workers missing) */
        public static void requireRead(WorkerDirectory directory) {
            var why = directory.notReadYet();
            if (why.isPresent()) {
                throw A2AException.retryable(A2AError.UNAVAILABLE, why.get() + "; retry in a moment", 1);
            }
        }

        public static List<Map<String, Object>> workers(WorkerDirectory directory, String owner) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (var w : directory.workers(owner)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", w.workerId());
                m.put("name", w.name());
                m.put("codebases", w.codebases().stream().map(c -> Map.of("id", c.id(), "name", c.name())).toList());
                m.put("auto_approve", w.autoApprove());
                m.put("connected_since", w.connectedSince().toString());
                m.put("gateway_replica", w.gatewayReplica());
                out.add(m);
            }
            return out;
        }

        public static List<Map<String, Object>> codebases(WorkerDirectory directory, String owner) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (var w : directory.workers(owner)) {
                for (var c : w.codebases()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", c.id());
                    m.put("name", c.name());
                    m.put("worker", w.name());
                    m.put("path_hash", c.pathHash());
                    m.put("git_remote", c.gitRemote());
                    m.put("git_branch", c.gitBranch());
                    m.put("connected_since", w.connectedSince().toString());
                    out.add(m);
                }
            }
            return out;
        }
    }
}
