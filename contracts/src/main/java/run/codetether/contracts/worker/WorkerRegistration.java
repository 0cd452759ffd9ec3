package run.codetether.contracts.worker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import run.codetether.contracts.events.Required;

/**
 * A connected worker, as the gateway replica that holds its stream publishes it on
 * {@link run.codetether.contracts.events.Topics#WORKERS_REGISTRY} (key: {@link #workerId}; a tombstone when the worker
 * is gone). Every gateway replica reads it to list workers and codebases and to refuse a second worker with the same
 * codebase name; every agent replica reads it to find the worker of a task's codebase.
 *
 * @param owner the client (API key or JWT subject) the worker authenticated as: only its tasks see the codebases
 * @param instanceId unique per worker process (a reconnect of the same process keeps it)
 * @param autoApprove none | safe | all
 * @param gatewayReplica the replica holding the stream (its instance id)
 * @param epoch changes with every (re)connection: an agent waiting on a call re-sends it when the epoch changes
 */
public record WorkerRegistration(String workerId, String name, String owner, String instanceId, String autoApprove,
        List<Codebase> codebases, List<Tool> tools, String gatewayReplica, long epoch, Instant connectedSince,
        String version) {

    public WorkerRegistration {
        Required.text(workerId, "workerId");
        Required.text(name, "name");
        Required.text(owner, "owner");
        Required.text(gatewayReplica, "gatewayReplica");
        codebases = codebases == null ? List.of() : List.copyOf(codebases);
        tools = tools == null ? List.of() : List.copyOf(tools);
        connectedSince = connectedSince == null ? Instant.now() : connectedSince;
    }

    /** A registered codebase (its path never leaves the worker; only a hash of it). */
    public record Codebase(String id, String name, String pathHash, String gitRemote, String gitBranch) {
        public Codebase {
            Required.text(id, "id");
            Required.text(name, "name");
        }
    }

    /** A tool the worker runs, with the traits the agent acts on. */
    public record Tool(String name, String description, String parametersJsonSchema, boolean readOnly,
            boolean streams, boolean network) {
        public Tool {
            Required.text(name, "name");
        }
    }

    /** The codebase with this name or id. */
    public Optional<Codebase> codebase(String nameOrId) {
        return codebases.stream().filter(c -> c.id().equals(nameOrId) || c.name().equals(nameOrId)).findFirst();
    }
}
