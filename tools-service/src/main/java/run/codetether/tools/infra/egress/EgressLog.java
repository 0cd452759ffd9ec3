package run.codetether.tools.infra.egress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.egress.EgressRecorder;

/**
 * Records every egress decision three ways: the log line and per-session history of {@link EgressHistory}, and
 * Micrometer counters ({@code codetether.tools.egress.requests{outcome,reason}},
 * {@code codetether.tools.egress.bytes{direction}}).
 */
public final class EgressLog implements EgressRecorder {

    private final MeterRegistry registry;
    private final EgressHistory history;

    /** @param registry null: no metrics (plain tests) */
    public EgressLog(MeterRegistry registry, int perSession) {
        this.registry = registry;
        this.history = new EgressHistory(perSession);
    }

    @Override
    public void record(EgressEvent e) {
        if (registry != null) {
            Counter.builder("codetether.tools.egress.requests").description("Sandbox egress requests by outcome")
                    .tag("outcome", e.outcome()).tag("reason", e.reason().isEmpty() ? "none" : e.reason())
                    .register(registry).increment();
            Counter.builder("codetether.tools.egress.bytes").description("Bytes through the egress proxy")
                    .baseUnit("bytes").tag("direction", "up").register(registry).increment(e.bytesUp());
            Counter.builder("codetether.tools.egress.bytes").description("Bytes through the egress proxy")
                    .baseUnit("bytes").tag("direction", "down").register(registry).increment(e.bytesDown());
        }
        history.record(e);
    }

    @Override
    public List<EgressEvent> recent(String sessionId) {
        return history.recent(sessionId);
    }

    @Override
    public void forget(String sessionId) {
        history.forget(sessionId);
    }
}
