package run.codetether.gateway.domain.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.approval.AccessMode;
import run.codetether.contracts.workspace.CodebaseRef;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.SendRequest;

/**
 * A message naming a worker's codebase ({@code metadata.workspace.codebase}, in the message's or the request's
 * metadata) is bound here to the caller's own codebase: the name or id is resolved among the caller's connected
 * workers, and the task carries the codebase id in its metadata (the agent routes by it) and its access mode as
 * the worker allows it. A codebase the caller has no connected worker for is INVALID_PARAMS before anything is
 * written; a retryable UNAVAILABLE while the registry is still being read (the worker may be another replica's).
 */
public final class CodebaseBinding {
    private final WorkerDirectory directory;

    public CodebaseBinding(WorkerDirectory directory) {
        this.directory = directory;
    }

    public SendRequest bind(SendRequest request, Caller caller) {
        Optional<CodebaseRef> ref;
        try {
            ref = CodebaseRef.of(request.metadata());
            if (ref.isEmpty()) {
                ref = CodebaseRef.of(request.message().metadata());
            }
        } catch (IllegalArgumentException e) {
            throw A2AException.invalidParams(e.getMessage());
        }
        if (ref.isEmpty()) {
            return request;
        }
        String name = ref.get().ref();
        var worker = directory.byCodebase(caller.clientId(), name).orElseThrow(() -> directory.notReadYet()
                .map(why -> A2AException.retryable(A2AError.UNAVAILABLE, why + ": codebase '" + name + "' may be "
                        + "served by a worker on another replica; retry in a moment", 1))
                .orElseGet(() -> A2AException.invalidParams("no connected worker of yours serves codebase '" + name
                        + "' (see GET /v1/codebases; start one with `codetether worker --codebases ...`)")));
        String id = worker.codebase(name).orElseThrow().id();
        Map<String, Object> metadata = new LinkedHashMap<>(request.metadata());
        Map<String, Object> workspace = new LinkedHashMap<>();
        Object given = metadata.get(MetadataKeys.WORKSPACE);
        if (given instanceof Map<?, ?> m) {
            m.forEach((k, v) -> workspace.put(String.valueOf(k), v));
        }
        workspace.put(CodebaseRef.KEY, id);
        metadata.put(MetadataKeys.WORKSPACE, workspace);
        metadata.put(MetadataKeys.ACCESS_MODE, accessMode(metadata.get(MetadataKeys.ACCESS_MODE), worker.autoApprove())
                .wire());
        return new SendRequest(request.message(), request.tenant(), request.historyLength(),
                request.returnImmediately(), request.acceptedOutputModes(), request.pushConfig(), metadata);
    }

    /**
     * The task's access mode on a worker's codebase: the stricter of what the task asks and the worker's
     * {@code --auto-approve}; the worker's own when the task does not say (the person at the worker decides how much
     * runs on their machine unasked, and no task can loosen it).
     */
    static AccessMode accessMode(Object asked, String workerAutoApprove) {
        AccessMode worker = AccessMode.fromAutoApprove(workerAutoApprove == null || workerAutoApprove.isBlank()
                ? "safe" : workerAutoApprove);
        if (asked == null) {
            return worker;
        }
        try {
            return AccessMode.stricter(AccessMode.parse(asked), worker);
        } catch (IllegalArgumentException e) {
            throw A2AException.invalidParams("metadata." + e.getMessage());
        }
    }
}
