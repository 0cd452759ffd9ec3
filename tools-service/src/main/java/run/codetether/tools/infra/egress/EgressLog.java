package run.codetether.tools.infra.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.egress.EgressRecorder;

/**
 * Records every egress decision three ways: one log line per request (session, method, host:port, outcome, reason,
 * address, bytes each way; refusals at WARN so an operator finds them first), Micrometer counters
 * ({@code codetether.tools.egress.requests{outcome,reason}}, {@code codetether.tools.egress.bytes{direction}}) and
 * a bounded in-memory history per session (ListEgress, and the bash tool's refusal notes).
 */
public final class EgressLog implements EgressRecorder {

    private static final Logger LOG = Logger.getLogger("run.codetether.tools.egress");

    private final MeterRegistry registry;
    private final int perSession;
    private final Map<String, Deque<EgressEvent>> history = new ConcurrentHashMap<>();

    /** @param registry null: no metrics (plain tests) */
    public EgressLog(MeterRegistry registry, int perSession) {
        this.registry = registry;
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
        if (registry != null) {
            Counter.builder("codetether.tools.egress.requests").description("Sandbox egress requests by outcome")
                    .tag("outcome", e.outcome()).tag("reason", e.reason().isEmpty() ? "none" : e.reason())
                    .register(registry).increment();
            Counter.builder("codetether.tools.egress.bytes").description("Bytes through the egress proxy")
                    .baseUnit("bytes").tag("direction", "up").register(registry).increment(e.bytesUp());
            Counter.builder("codetether.tools.egress.bytes").description("Bytes through the egress proxy")
                    .baseUnit("bytes").tag("direction", "down").register(registry).increment(e.bytesDown());
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
