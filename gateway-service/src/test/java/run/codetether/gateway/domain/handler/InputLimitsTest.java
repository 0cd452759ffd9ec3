package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.SendRequest;

/** The input limits without a server: how a part is measured, where the boundaries are, what a refusal says. */
class InputLimitsTest {
    final InputLimits limits = new InputLimits(3, 10, List.of("swarm", "rlm"));

    static SendRequest send(List<Part> parts, Map<String, Object> messageMetadata, Map<String, Object> requestMetadata) {
        Message m = new Message("m-1", Role.USER, parts, null, null, null, null, messageMetadata);
        return new SendRequest(m, null, null, true, null, null, requestMetadata);
    }

    static A2AException refused(Runnable r) {
        A2AException e = assertThrows(A2AException.class, r::run);
        assertEquals(A2AError.INVALID_PARAMS, e.error());
        return e;
    }

    @Test
    void partsAreMeasuredByWhatTheyCarry() {
        assertEquals(5, InputLimits.size(Part.Text.of("héé"))); // é is two UTF-8 bytes
        assertEquals(4, InputLimits.size(Part.Text.of("😀")), "a surrogate pair is one 4-byte code point");
        String five = Base64.getEncoder().encodeToString(new byte[5]);
        assertEquals(5, InputLimits.size(new Part.File(null, null, five, null, null)), "decoded bytes, not base64");
        assertEquals(19, InputLimits.size(new Part.File(null, null, null, "https://example.org", null)));
        long data = InputLimits.size(new Part.Data(Map.of("k", List.of(1, "ab")), null));
        assertTrue(data >= "{\"k\":[1,\"ab\"]}".length() - 2 && data <= 20, "about its JSON length: " + data);
    }

    @Test
    void theBoundariesAreInclusive() {
        limits.check(send(List.of(Part.Text.of("0123456789"), Part.Text.of("a"), Part.Text.of("b")), null, null));
        assertTrue(refused(() -> limits.check(send(List.of(Part.Text.of("a"), Part.Text.of("b"), Part.Text.of("c"),
                Part.Text.of("d")), null, null))).getMessage().contains("4 parts; at most 3"));
        assertTrue(refused(() -> limits.check(send(List.of(Part.Text.of("a"), Part.Text.of("0123456789x")), null,
                null))).getMessage().contains("message.parts[1] holds 11 bytes"));
    }

    @Test
    void aSkillMustBeOneThePlatformRunsWhereverTheClientPutsIt() {
        limits.check(send(List.of(Part.Text.of("go")), Map.of("skill", "rlm"), null));
        limits.check(send(List.of(Part.Text.of("go")), null, Map.of("skill", "swarm")));
        limits.check(send(List.of(Part.Text.of("go")), null, null));
        String message = refused(() -> limits.check(send(List.of(Part.Text.of("go")), Map.of("skill", "ralf"),
                null))).getMessage();
        assertEquals("metadata.skill 'ralf' is not a skill this platform runs; known skills: rlm, swarm", message);
        refused(() -> limits.check(send(List.of(Part.Text.of("go")), null, Map.of("skill", "ralf"))));
        refused(() -> limits.check(send(List.of(Part.Text.of("go")), Map.of("skill", 7), null)));
    }

    @Test
    void aRefusalNamesTheFirstOffendingPartOfMany() {
        List<Part> parts = new ArrayList<>(List.of(Part.Text.of("ok")));
        parts.add(new Part.File(null, null, Base64.getEncoder().encodeToString(new byte[11]), null, null));
        assertTrue(refused(() -> limits.check(send(parts, null, null))).getMessage().startsWith("message.parts[1]"));
    }
}
