package run.codetether.agent.domain.rlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.rlm.RlmSettings.Mode;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;

/** The original's routing rules, the fallback excerpt, and how an rlm-skill message becomes a request. */
class RlmRouterTest {
    static final RlmSettings AUTO = RlmSettings.defaults().withRouting(Mode.AUTO, true);

    @Test
    void autoRoutesEligibleOutputsOverThresholdOrPastEightyPercent() {
        String big = "x".repeat(4 * 36_000); // 36k tokens > 0.35 * 100k
        assertEquals("exceeds_threshold", RlmRouter.decide("bash", big, 100_000, 0, AUTO).reason());
        assertEquals("within_threshold", RlmRouter.decide("bash", "x".repeat(4 * 30_000), 100_000, 0, AUTO).reason());
        assertEquals("would_overflow", RlmRouter.decide("grep", "x".repeat(4 * 30_000), 100_000, 55_000, AUTO).reason());
        assertEquals("tool_not_eligible", RlmRouter.decide("write_file", big, 100_000, 0, AUTO).reason());
        assertTrue(RlmRouter.decide("read_file", big, 100_000, 0, AUTO).route());
        assertEquals("rlm_mode_always", RlmRouter.decide("glob", "x", 100_000, 0,
                AUTO.withRouting(Mode.ALWAYS, true)).reason());
        assertEquals("rlm_mode_off", RlmRouter.decide("glob", big, 100_000, 0, AUTO.withRouting(Mode.OFF, true)).reason());
    }

    @Test
    void theFallbackKeepsHeadAndTailAndHintsAtRlm() {
        String out = "HEAD" + "m".repeat(100_000) + "TAIL";
        String cut = RlmRouter.smartTruncate(out, "read_file",
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("path", "a/b.log"), 1_000);
        assertTrue(cut.startsWith("HEAD"));
        assertTrue(cut.endsWith("TAIL"));
        assertTrue(cut.contains("tokens truncated"));
        assertTrue(cut.contains("paths: [\"a/b.log\"]"), cut);
        assertTrue(cut.length() < 4_600);
    }

    @Test
    void aBadModeIsRefusedWithTheKeyName() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Mode.parse("sometimes"));
        assertTrue(e.getMessage().contains("codetether.agent.rlm.mode"));
    }

    @Test
    void aSkillMessageBecomesQueryContentAndPaths() {
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("Explain src/Main.java and "
                + "README.md, not https://x.org/y.html or 3.14."), new Part.File("notes.txt", "text/plain",
                Base64.getEncoder().encodeToString("inline notes".getBytes()), null, null), new Part.File("spec.md",
                "text/markdown", null, "file://docs/spec.md", null)), null, null, null, null, null);
        RlmSkill.Request r = RlmSkill.request(m, 2_000);
        assertEquals(m.text(), r.query());
        assertEquals(List.of("docs/spec.md"), r.paths());
        assertEquals(List.of("src/Main.java", "README.md"), r.guessedPaths());
        assertTrue(r.content().contains("=== notes.txt ===\ninline notes"), r.content());

        String huge = "log line\n".repeat(1_000) + "What failed?";
        RlmSkill.Request big = RlmSkill.request(new Message("m", Role.USER, List.of(Part.Text.of(huge)), null, null, null,
                null, null), 2_000);
        assertTrue(big.query().endsWith("What failed?"));
        assertTrue(big.query().length() < 2_300);
        assertTrue(big.content().startsWith("=== message ===\n" + huge));
    }
}
