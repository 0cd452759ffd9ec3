package run.codetether.swarm.domain.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.contracts.cognition.MemorySnapshot;
import run.codetether.contracts.cognition.PersonaPolicy;
import run.codetether.contracts.cognition.StartCognitionRequest;
import run.codetether.contracts.cognition.ThoughtEvent;

/** A persona's token_credits_per_minute bounds its model calls; the deterministic thoughts fill the rest. */
class CognitionBudgetTest {
    Instant now = Instant.parse("2026-01-01T00:00:05Z");
    final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };
    final List<ThoughtEvent> events = new ArrayList<>();
    final CognitionSink sink = new CognitionSink() {
        public void event(ThoughtEvent e) {
            events.add(e);
        }

        public void snapshot(MemorySnapshot s) {}
    };

    @SuppressWarnings("unchecked")
    static Object payload(ThoughtEvent e, String key) {
        return e.payload().get(key);
    }

    ThoughtEvent lastThought() {
        return events.stream().filter(e -> payload(e, "thinking") != null).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aPersonaOverItsTokenCreditsThinksWithoutTheModelUntilTheNextMinute() {
        AtomicInteger calls = new AtomicInteger();
        Thinker thinker = (system, user) -> {
            calls.incrementAndGet();
            return new Thinker.Output("model thought " + calls.get(), "m", "stop", 15, 5, 20);
        };
        var rt = new CognitionRuntime(CognitionSettings.defaults(), thinker, sink, clock);
        rt.start(new StartCognitionRequest(1000L, new CreatePersonaRequest("p", "P", "worker", "work", null, null,
                new PersonaPolicy(4, 4, 30, 10_000, 3_600, false))));

        rt.tick();
        assertEquals("model", payload(lastThought(), "source"));
        rt.tick(); // 20 of 30 used before this call: allowed, now 40
        assertEquals("model", payload(lastThought(), "source"));
        rt.tick();
        assertEquals(2, calls.get(), "no model call past the credits");
        assertEquals("fallback", payload(lastThought(), "source"));
        assertTrue(String.valueOf(payload(lastThought(), "error")).contains("40 of 30 tokens used this minute"),
                String.valueOf(payload(lastThought(), "error")));

        now = now.plus(Duration.ofMinutes(1));
        rt.tick();
        assertEquals(3, calls.get(), "a new minute, new credits");
        assertEquals("model", payload(lastThought(), "source"));
        assertNull(payload(lastThought(), "error"));
    }

    @Test
    void zeroCreditsMeanNoLimit() {
        AtomicInteger calls = new AtomicInteger();
        Thinker thinker = (system, user) -> {
            calls.incrementAndGet();
            return new Thinker.Output("t", "m", "stop", null, null, 1_000_000);
        };
        var rt = new CognitionRuntime(CognitionSettings.defaults(), thinker, sink, clock);
        rt.start(new StartCognitionRequest(1000L, new CreatePersonaRequest("p", "P", "worker", "work", null, null,
                new PersonaPolicy(4, 4, 0, 0, 0, false))));
        for (int i = 0; i < 5; i++) {
            rt.tick();
        }
        assertEquals(5, calls.get());
    }
}
