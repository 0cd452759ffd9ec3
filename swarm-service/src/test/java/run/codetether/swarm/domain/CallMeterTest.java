package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
