package run.codetether.platform.kafka;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The poll loops of one service, for its readiness check: the service is not ready while any loop has
 * {@link PollLoop.State#FAILED} (a loop that died no longer consumes; a replica that stays ready would keep its
 * partitions and starve them). A loop that was closed on purpose is not a failure. Each service exposes this through
 * a readiness check in its own {@code api} package. Thread-safe.
 */
public final class LoopHealth {
    private final List<PollLoop<?, ?>> loops = new CopyOnWriteArrayList<>();

    void register(PollLoop<?, ?> loop) {
        loops.add(loop);
    }

    public List<PollLoop.Status> statuses() {
        return loops.stream().map(PollLoop::status).toList();
    }

    /** The loops that died, with why. */
    public List<PollLoop.Status> failed() {
        return statuses().stream().filter(s -> s.state() == PollLoop.State.FAILED).toList();
    }

    public boolean ready() {
        return failed().isEmpty();
    }
}
