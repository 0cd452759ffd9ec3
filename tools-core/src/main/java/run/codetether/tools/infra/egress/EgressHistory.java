package run.codetether.tools.infra.egress;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.egress.EgressRecorder;

/**
 * Records every egress decision as one log line per request (session, method, host:port, outcome, reason, address,
 * bytes each way; refusals at WARN so they are found first) and keeps a bounded history per session (ListEgress,
 * and the bash tool's refusal notes). tools-service adds metrics around it ({@code EgressLog}); a worker uses it as
 * it is.
 */
public final class EgressHistory implements EgressRecorder {

    private static final Logger LOG = Logger.getLogger("run.codetether.tools.egress");

    private final int perSession;
    private final Map<String, Deque<EgressEvent>> history = new ConcurrentHashMap<>();

    public EgressHistory(int perSession) {
        this.perSession = perSession;
    }

    @Override
    public void record(EgressEvent e) {
        if (e.refused()) {
            LOG.warnf("egress session=%s %s %s:%d refused reason=%s: %s", e.sessionId(), e.method(), e.host(),
                    e.port(), e.reason(), e.message());
        } else {
            LOG.infof("egress session=%s %s %s:%d %s%s address=%s bytes_up=%d bytes_down=%d", e.sessionId(), e.method(),
                    e.host(), e.port(), e.outcome(), e.reason().isEmpty() ? "" : " reason=" + e.reason(), e.address(),
                    e.bytesUp(), e.bytesDown());
        }
        Deque<EgressEvent> q = history.computeIfAbsent(e.sessionId(), k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(e);
            while (q.size() > perSession) {
                q.removeFirst();
            }
        }
    }

    @Override
    public List<EgressEvent> recent(String sessionId) {
        Deque<EgressEvent> q = history.get(sessionId);
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            return List.copyOf(q);
        }
    }

    @Override
    public void forget(String sessionId) {
        history.remove(sessionId);
    }
}
