package run.codetether.tools.domain.egress;

/** The per-session side of the egress proxy the API needs: ending a session stops its proxy socket. */
public interface EgressSessions {

    /** Stops the session's proxy listener and removes its socket; a no-op for a session without one. */
    void closeSession(String sessionId);
}
