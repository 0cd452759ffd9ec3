package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.WorkspaceExtension;

/** A typed text part (the workspace extension's {@code changes} diff) keeps its media type on the A2A 1.0 wire. */
class V10PartMediaTypeTest {
    @Test
    void aDiffTextPartCarriesItsMediaType() {
        var json = V10Encoder.part(new Part.Text("diff --git a/x b/x\n", WorkspaceExtension.DIFF_MEDIA_TYPE, Map.of()));
        assertEquals("diff --git a/x b/x\n", json.path("text").asText());
        assertEquals("text/x-diff", json.path("mediaType").asText());
    }

    @Test
    void plainProseHasNoMediaType() {
        assertFalse(V10Encoder.part(Part.Text.of("hello")).has("mediaType"));
    }
}
