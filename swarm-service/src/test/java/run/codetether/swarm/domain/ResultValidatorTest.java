package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResultValidatorTest {

    @Test
    void rulesRejectFailuresAndShortResults() {
        var v = new ResultValidator(5, null);
        assertTrue(v.check(null, null, "i", true, "long enough").valid());
        assertFalse(v.check(null, null, "i", true, "abc").valid());
        var failed = v.check(null, null, "i", false, "crash");
        assertFalse(failed.valid());
        assertTrue(failed.reason().contains("crash"));
    }

    @Test
    void theModelCheckDecidesAndItsFailureIsReported() {
        assertFalse(new ResultValidator(1, (p, m, s, u, j) -> "{\"valid\":false,\"reason\":\"off topic\"}")
                .check(null, null, "i", true, "result").valid());
        assertTrue(new ResultValidator(1, (p, m, s, u, j) -> "{\"valid\":true,\"reason\":\"fine\"}")
                .check(null, null, "i", true, "result").valid());
        var down = new ResultValidator(1, (p, m, s, u, j) -> {
            throw new ChatPort.ChatException("connection refused", null);
        }).check(null, null, "i", true, "result");
        assertFalse(down.valid());
        assertTrue(down.reason().contains("connection refused"));
    }
}
