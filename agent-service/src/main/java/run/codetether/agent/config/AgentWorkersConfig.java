package run.codetether.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Worker mode (docs/worker.md): tool calls of tasks on a worker's codebase. */
@ConfigMapping(prefix = "codetether.agent.workers")
public interface AgentWorkersConfig {
    /**
     * How long a call waits for the codebase's worker to (re)connect before it fails with a clear reason (the worker
     * went away mid-call, or was never there); default 60s.
     */
    @WithDefault("60s")
    Duration waitFor();

    /** Longest start-up wait to read the workers registry; default 60s. */
    @WithDefault("60s")
    Duration catchUpTimeout();
}
