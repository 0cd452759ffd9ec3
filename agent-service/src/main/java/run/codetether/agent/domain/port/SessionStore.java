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

    /** Summaries of every stored session (for the CLI's /sessions). */
    List<Session> list();
}
