package run.codetether.gateway.domain.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.workspace.CodebaseRef;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.SendRequest;

/**
 * A message naming a worker's codebase ({@code metadata.workspace.codebase}, in the message's or the request's
 * metadata) is bound here to the caller's own codebase: the name or id is resolved among the caller's connected
 * workers, and the task carries the codebase id in its metadata (the agent routes by it). A codebase the caller has
 * no connected worker for is INVALID_PARAMS before anything is written.
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
        var worker = directory.byCodebase(caller.clientId(), name).orElseThrow(() -> A2AException.invalidParams(
                "no connected worker of yours serves codebase '" + name + "' (see GET /v1/codebases; start one"
                        + " with `codetether worker --codebases ...`)"));
        String id = worker.codebase(name).orElseThrow().id();
        Map<String, Object> metadata = new LinkedHashMap<>(request.metadata());
        Map<String, Object> workspace = new LinkedHashMap<>();
        Object given = metadata.get(MetadataKeys.WORKSPACE);
        if (given instanceof Map<?, ?> m) {
            m.forEach((k, v) -> workspace.put(String.valueOf(k), v));
        }
        workspace.put(CodebaseRef.KEY, id);
        metadata.put(MetadataKeys.WORKSPACE, workspace);
        return new SendRequest(request.message(), request.tenant(), request.historyLength(),
                request.returnImmediately(), request.acceptedOutputModes(), request.pushConfig(), metadata);
    }
}
