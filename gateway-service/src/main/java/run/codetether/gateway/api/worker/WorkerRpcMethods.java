package run.codetether.gateway.api.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import java.util.Map;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.worker.WorkerDirectory;
import run.codetether.platform.json.Json;

/**
 * The JSON-RPC extension methods {@code codetether/codebases/list} and {@code codetether/workers/list}: the same
 * answers as {@code GET /v1/codebases} and {@code GET /v1/workers}, with the same admission as A2A.
 */
@Singleton
public class WorkerRpcMethods {
    public static final String CODEBASES = "codetether/codebases/list";
    public static final String WORKERS = "codetether/workers/list";
    private static final ObjectMapper JSON = Json.mapper();

    private final RequestGuard guard;
    private final WorkerDirectory directory;

    public WorkerRpcMethods(RequestGuard guard, WorkerDirectory directory) {
        this.guard = guard;
        this.directory = directory;
    }

    public boolean handles(String method) {
        return CODEBASES.equals(method) || WORKERS.equals(method);
    }

    /**
     * @throws run.codetether.gateway.domain.A2AException UNAUTHENTICATED, RATE_LIMITED, or a retryable UNAVAILABLE
     *     while the registry is read
     */
    public JsonNode call(String method, CallContext context) {
        Caller caller = guard.admit(context.authorization(), context.apiKey(), context.remote());
        WorkersResource.WorkerViews.requireRead(directory);
        return JSON.valueToTree(CODEBASES.equals(method)
                ? Map.of("codebases", WorkersResource.WorkerViews.codebases(directory, caller.clientId()))
                : Map.of("workers", WorkersResource.WorkerViews.workers(directory, caller.clientId())));
    }
}
