package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The poll loops of one service, for its readiness check: the service is not ready while any loop has
 * {@link PollLoop.State#FAILED} (a loop that died no longer consumes; a replica that stays ready would keep its
 * partitions and starve them). A loop that was closed on purpose is not a failure; a loop that died and was started
 * again under its name counts as the new one. Each service exposes this through
 * a readiness check in its own {@code api} package. Thread-safe.
 */
public final class LoopHealth {
    private final List<PollLoop<?, ?>> loops = new CopyOnWriteArrayList<>();
    private final Duration outageBudget;

    /** Loops that wait out a broker outage for the default five minutes. */
    public LoopHealth() {
        this(KafkaOutage.DEFAULT_BUDGET);
    }

    /** @param outageBudget how long the service's loops retry through a broker outage before they die */
    public LoopHealth(Duration outageBudget) {
        if (outageBudget.isNegative()) {
            throw new IllegalArgumentException("codetether.kafka.outage-budget must be >= 0, not " + outageBudget);
        }
        this.outageBudget = outageBudget;
    }

    /** {@code codetether.kafka.outage-budget}: the default of every loop that reports here. */
    public Duration outageBudget() {
        return outageBudget;
    }

    /** A loop started under the name of one before it (a restart after a failure) replaces that one. */
    synchronized void register(PollLoop<?, ?> loop) {
        loops.removeIf(l -> l.name().equals(loop.name()));
        loops.add(loop);
    }

    public List<PollLoop.Status> statuses() {
        return loops.stream().map(PollLoop::status).toList();
    }

    /** The loops that died, with why. */
    public List<PollLoop.Status> failed() {
        return statuses().stream().filter(s -> s.state() == PollLoop.State.FAILED).toList();
    }

    /** Each loop's name with its state ("running", "failed: why"), in start order: a readiness check's data. */
    public java.util.Map<String, String> describe() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (PollLoop.Status s : statuses()) {
            m.put(s.name(), s.state().name().toLowerCase() + s.failure().map(f -> ": " + f).orElse(""));
        }
        return m;
    }

    public boolean ready() {
        return failed().isEmpty();
    }
}
