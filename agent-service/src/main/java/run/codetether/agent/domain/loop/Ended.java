package run.codetether.agent.domain.loop;

/** Unwinds a run that already published its end state (a model failure deep in a step). */
final class Ended extends RuntimeException {
    Ended() {
        super(null, null, false, false);
    }
}
