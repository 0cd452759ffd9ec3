package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Usage;

class CallMeterTest {
    static final Usage ONE = new Usage(10, 2, 0, 0, 0.5, true);
    static final Usage TWO = new Usage(20, 4, 1, 0, 1.0, true);

    @Test
    void callsInsideAMeasurementAreSummedAndAFailureKeepsWhatWasSpentBeforeIt() {
        var ok = CallMeter.measure(() -> {
            CallMeter.record(ONE);
            CallMeter.record(null);
            CallMeter.record(TWO);
            return "plan";
        });
        assertEquals("plan", ok.value());
        assertEquals(ONE.plus(TWO), ok.usage());

        IllegalStateException boom = new IllegalStateException("provider down");
        var failed = CallMeter.measure(() -> {
            CallMeter.record(ONE);
            throw boom;
        });
        assertSame(boom, failed.failure());
        assertEquals(ONE, failed.usage(), "the call that answered before the failure was paid for");
    }

    @Test
    void nothingIsRecordedOutsideAMeasurementAndAnInnerOneCountsForTheOuter() {
        CallMeter.record(TWO); // no measurement open: dropped, and not leaked into the next one
        var outer = CallMeter.measure(() -> {
            CallMeter.record(ONE);
            var inner = CallMeter.measure(() -> {
                CallMeter.record(TWO);
                return 1;
            });
            assertEquals(TWO, inner.usage());
            return 2;
        });
        assertEquals(ONE.plus(TWO), outer.usage());
        assertNull(CallMeter.measure(() -> "no call").usage(), "no call reported: unknown, not $0");
    }

    @Test
    void eachCallIsAdmittedByTheGateBeforeItIsSentAndEndsOnceAnsweredOrReleased() {
        List<String> seen = new ArrayList<>();
        CallMeter.Gate gate = max -> {
            if (max > 1) {
                throw new IllegalStateException("over budget");
            }
            seen.add("admit " + max);
            return new CallMeter.Ticket() {
                @Override
                public void answered(CallMeter.Call call) {
                    seen.add("answered " + call.usage().tokensIn());
                }

                @Override
                public void released() {
                    seen.add("released");
                }
            };
        };
        var m = CallMeter.measure(gate, () -> {
            try (CallMeter.Pending ok = CallMeter.begin(0.5)) {
                ok.answered("p", "m", ONE);
                ok.answered("p", "m", TWO); // ended already: ignored
            }
            try (CallMeter.Pending failed = CallMeter.begin(0.25)) {
                // the call threw: closing frees it
            }
            var inner = CallMeter.measure(() -> {
                CallMeter.begin(0.75).answered("p", "m", null); // no usage reported: nothing known to charge
                return 0;
            });
            assertNull(inner.usage());
            CallMeter.begin(2); // refused: thrown before anything is sent
            return "unreached";
        });
        assertEquals("over budget", m.failure().getMessage());
        assertEquals(List.of("admit 0.5", "answered 10", "admit 0.25", "released", "admit 0.75", "released"), seen,
                "an inner measurement is admitted by the outer gate");
        assertEquals(ONE, m.usage(), "the answered call counts, also when a later one was refused");
    }
}
