package run.codetether.agent.domain.port;

import java.util.List;
import java.util.Optional;
import run.codetether.agent.domain.session.Session;

/**
 * Durable sessions keyed by contextId. {@link #save} returns only once the session is durable, so a worker that
 * dies after it returns loses nothing; {@link #load} sees every completed save from any replica.
 */
public interface SessionStore {
    Optional<Session> load(String contextId);

    void save(Session session);

    /**
     * Starts a save without waiting for it to be durable: for state a resumed run can rebuild (a tool result,
     * which tools-service replays by call id; a task's start, which its command's redelivery makes again). The
     * session is captured now; a later {@link #save} of the same
     * context is durable only if this one was, and fails if this one failed.
     */
    default void saveSoon(Session session) {
        save(session);
    }

    /** Summaries of every stored session (for the CLI's /sessions). */
    List<Session> list();
}
