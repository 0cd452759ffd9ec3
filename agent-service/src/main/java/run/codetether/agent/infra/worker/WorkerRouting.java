package run.codetether.agent.infra.worker;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.ToolExecutor;

/**
 * Sends each call to tools-service or, for a task on a worker's codebase, to that worker: the workspace id of such a
 * task is {@value #PREFIX}{@code <codebase id>} (see {@code SwarmWorkspace}); '/' is not allowed in a tools-service
 * session id, so no client-chosen context id can be taken for a codebase.
 */
public final class WorkerRouting implements ToolExecutor {
    public static final String PREFIX = "worker/";

    private final ToolExecutor toolsService;
    private final KafkaWorkerCalls workers;

    public WorkerRouting(ToolExecutor toolsService, KafkaWorkerCalls workers) {
        this.toolsService = toolsService;
        this.workers = workers;
    }

    /** tools-service's list: a worker runs the same tool kit (without the web tools; a call of one fails there). */
    @Override
    public List<ToolSpec> list() {
        return toolsService.list();
    }

    @Override
    public Preview preview(String sessionId, String toolName, String argumentsJson) throws InterruptedException {
        return sessionId.startsWith(PREFIX) ? workers.preview(sessionId.substring(PREFIX.length()), toolName,
                argumentsJson) : toolsService.preview(sessionId, toolName, argumentsJson);
    }

    @Override
    public Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout)
            throws InterruptedException {
        return execute(sessionId, callId, toolName, argumentsJson, timeout, null);
    }

    @Override
    public Outcome execute(String sessionId, String callId, String toolName, String argumentsJson, Duration timeout,
            Consumer<String> output) throws InterruptedException {
        if (sessionId.startsWith(PREFIX)) {
            return workers.execute(sessionId.substring(PREFIX.length()), callId, toolName, argumentsJson, timeout,
                    output);
        }
        return output == null ? toolsService.execute(sessionId, callId, toolName, argumentsJson, timeout)
                : toolsService.execute(sessionId, callId, toolName, argumentsJson, timeout, output);
    }
}
