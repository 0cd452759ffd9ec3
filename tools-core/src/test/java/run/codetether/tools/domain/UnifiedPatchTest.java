package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import run.codetether.tools.domain.edit.LineDiff;
import run.codetether.tools.domain.edit.UnifiedPatch;

class UnifiedPatchTest {

    @Test
    void generatedDiffsApplyBackToTheNewText() {
        String[][] cases = {
            {"a\nb\nc\n", "a\nB\nc\n"},
            {"", "new\nfile\n"},
            {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n13\n"},
            {"keep\nremove me\nkeep\n", "keep\nkeep\n"},
            {"x\ny\n", "y\nx\n"},
        };
        for (String[] c : cases) {
            String diff = LineDiff.unified("f.txt", c[0], c[1]).text();
            var patches = UnifiedPatch.parse(diff);
            assertEquals(1, patches.size(), diff);
            assertEquals(c[1], UnifiedPatch.apply(patches.get(0), c[0]), diff);
        }
    }

    @Test
    void hunksFollowShiftedLinesButNeedExactContext() {
        String patch = "--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n";
        var fp = UnifiedPatch.parse(patch).get(0);
        assertEquals("new\na\nb\nC\n", UnifiedPatch.apply(fp, "new\na\nb\nc\n"));
        var e = assertThrows(ToolException.class, () -> UnifiedPatch.apply(fp, "a\nb\nd\n"));
        assertEquals(ToolException.Code.PATCH_FAILED, e.code());
        assertTrue(e.getMessage().contains("hunk 1 (@@ -2,2 +2,2 @@) of f does not apply: line 3 is 'd' but the"
                + " hunk expects 'c'"), e.getMessage());
    }

    @Test
    void malformedPatchesSayWhy() {
        assertTrue(assertThrows(ToolException.class, () -> UnifiedPatch.parse("--- a/f\n@@ -1 +1 @@\n"))
                .getMessage().contains("not followed by a '+++'"));
        assertTrue(assertThrows(ToolException.class, () -> UnifiedPatch.parse("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n"))
                .getMessage().contains("ends early"));
        assertTrue(assertThrows(ToolException.class, () -> UnifiedPatch.parse("--- a/f\n+++ b/f\n@@ bad @@\n"))
                .getMessage().contains("malformed hunk header"));
    }

    @Test
    void noNewlineAtEndOfFileIsHonoured() {
        String patch = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n";
        assertEquals("b", UnifiedPatch.apply(UnifiedPatch.parse(patch).get(0), "a\n"));
    }
}
