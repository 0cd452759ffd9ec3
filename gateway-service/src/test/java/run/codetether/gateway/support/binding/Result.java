package run.codetether.gateway.support.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to a unary call on any binding: its result in the A2A 1.0 JSON form (whatever the wire was), or the
 * failure.
 */
public record Result(String binding, JsonNode value, Failure failure) {

    /** The result; fails the test when the call was refused. */
    public JsonNode ok() {
        assertNull(failure, () -> binding + ": unexpected error " + failure);
        return value;
    }

    /** The failure; fails the test unless the call was refused for {@code reason}. */
    public Failure fails(String reason) {
        assertNotNull(failure, () -> binding + ": expected " + reason + " but got " + value);
        assertEquals(reason, failure.reason(), () -> binding + ": " + failure);
        return failure;
    }
}
