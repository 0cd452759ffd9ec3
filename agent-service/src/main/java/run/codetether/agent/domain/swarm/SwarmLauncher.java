package run.codetether.agent.domain.swarm;

import java.time.Duration;
import java.util.Map;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;

/**
 * The agent's way to swarm-service: publishes swarm commands and follows one swarm's progress and end. A watch is
 * opened before the start is published, so no update can slip past; a swarm that already ended (a re-attach after a
 * worker death) is reported as finished at once.
 */
public interface SwarmLauncher {

    /** Follows the swarm {@code swarmId} whose own task is {@code swarmTaskId}; close it when done. */
    Watch watch(String swarmId, String swarmTaskId);

    /** Publishes the start; swarm-service ignores a repeated start of a known swarm. */
    void start(SwarmCommand.StartSwarm command);

    /** Publishes a cancel; works from a thread whose interrupt flag is set (the calling task was canceled). */
    void cancel(SwarmCommand.CancelSwarm command);

    interface Watch extends AutoCloseable {
        /** The next update, or null when none came within {@code max}. */
        Update next(Duration max) throws InterruptedException;

        @Override
        void close();
    }

    sealed interface Update {
        /** A working-state message of the swarm's task (planning, dispatch, a sub-agent's step). */
        record Progress(String text, Map<String, Object> metadata) implements Update {
            public Progress {
                metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            }
        }

        /** The swarm's final coordinator state. */
        record Finished(SwarmPhase phase, String answer, String error) implements Update {}
    }
}
