package run.codetether.swarm.domain.cognition;

import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.cognition.ThoughtEvent;

/** Receives what the runtime produces, in order (the Kafka adapter publishes it on {@code cognition.events}). */
public interface CognitionSink {
    void event(ThoughtEvent event);

    void snapshot(MemorySnapshot snapshot);

    CognitionSink NONE = new CognitionSink() {
        @Override
        public void event(ThoughtEvent event) {}

        @Override
        public void snapshot(MemorySnapshot snapshot) {}
    };
}
