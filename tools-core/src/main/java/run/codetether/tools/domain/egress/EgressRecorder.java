package run.codetether.tools.domain.egress;

import java.util.List;

/** Where egress decisions go: the log, metrics and a bounded per-session history. Thread-safe. */
public interface EgressRecorder {

    void record(EgressEvent event);

    /** The session's recent events, oldest first. */
    List<EgressEvent> recent(String sessionId);

    /** Forgets a session's history. */
    void forget(String sessionId);
}
