package run.codetether.contracts.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.workspace.CodebaseRef;

/** The approval shapes of INTERFACES.md, the access modes and the codebase workspace source. */
class ApprovalContractsTest {

    private static Message msg(Part... parts) {
        return new Message("m", Role.USER, List.of(parts), null, null, null, null, null);
    }

    @Test
    void theStricterModeWinsAndAutoApproveMapsOntoModes() {
        assertEquals(AccessMode.APPROVE, AccessMode.stricter(AccessMode.FULL, AccessMode.APPROVE));
        assertEquals(AccessMode.ASK, AccessMode.stricter(AccessMode.ASK, AccessMode.APPROVE));
        assertEquals(AccessMode.FULL, AccessMode.stricter(null, AccessMode.FULL));
        assertEquals(AccessMode.FULL, AccessMode.fromAutoApprove("all"));
        assertEquals(AccessMode.APPROVE, AccessMode.fromAutoApprove("safe"));
        assertEquals(AccessMode.ASK, AccessMode.fromAutoApprove("NONE"));
        assertEquals("safe", AccessMode.APPROVE.autoApprove());
        assertEquals(AccessMode.ASK, AccessMode.parse(" Ask "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AccessMode.parse("yolo")).getMessage()
                .contains("full, approve, ask"));
        assertThrows(IllegalArgumentException.class, () -> AccessMode.parse(3));
        assertThrows(IllegalArgumentException.class, () -> AccessMode.fromAutoApprove("some"));
    }

    @Test
    void anAnswerIsADataPartOrPlainTextAndAnythingElseDenies() {
        var data = ApprovalAnswer.of(msg(new Part.Data(Map.of("approval", Map.of("call_id", "c1", "decision",
                "approve_all")), null))).orElseThrow();
        assertEquals("c1", data.callId());
        assertEquals(ApprovalAnswer.Decision.APPROVE_ALL, data.decision());
        assertEquals(ApprovalAnswer.Decision.APPROVE_ALL, ApprovalAnswer.of(msg(Part.Text.of("approve all"))).orElseThrow()
                .decision());
        assertEquals(ApprovalAnswer.Decision.APPROVE, ApprovalAnswer.of(msg(Part.Text.of("Approve."))).orElseThrow()
                .decision());
        var words = ApprovalAnswer.of(msg(Part.Text.of("use sed instead"))).orElseThrow();
        assertEquals(ApprovalAnswer.Decision.DENY, words.decision());
        assertEquals("use sed instead", words.note());
        assertTrue(ApprovalAnswer.of(msg()).isEmpty());
        assertEquals(Map.of("approval", Map.of("call_id", "c1", "decision", "deny")),
                new ApprovalAnswer("c1", ApprovalAnswer.Decision.DENY, null).toData());
    }

    @Test
    void aRequestRoundTripsThroughItsDataPart() {
        var r = new ApprovalRequest("c1", "edit", Map.of("path", "a"), null, "why");
        Map<String, Object> data = r.toData();
        assertTrue(((Map<?, ?>) data.get("approval_request")).containsKey("preview"), "preview is null, not absent");
        assertEquals(r, ApprovalRequest.fromData(data));
        assertNull(ApprovalRequest.fromData(Map.of("approval", Map.of())));
    }

    @Test
    void aCodebaseIsNamedInTheWorkspaceMetadata() {
        assertEquals("app", CodebaseRef.of(Map.of("workspace", Map.of("codebase", " app "))).orElseThrow().ref());
        assertTrue(CodebaseRef.of(Map.of("workspace", Map.of("git", Map.of()))).isEmpty());
        assertTrue(CodebaseRef.of(Map.of()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> CodebaseRef.of(Map.of("workspace", Map.of("codebase", 3))));
        assertTrue(new CodebaseRef("cb-12ab").isId());
    }
}
