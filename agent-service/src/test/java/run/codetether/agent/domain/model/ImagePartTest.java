package run.codetether.agent.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.platform.json.Json;

/** Which images are sent, and how many a saved session keeps. */
class ImagePartTest {

    static ImagePart png(int bytes) {
        return new ImagePart("image/png", Base64.getEncoder().encodeToString(new byte[bytes]));
    }

    @Test
    void onlyKnownTypesWithinTheLimitAreSent() {
        assertTrue(ImagePart.sendable("image/png", 70));
        assertTrue(ImagePart.sendable("IMAGE/JPEG", ImagePart.MAX_BYTES));
        assertFalse(ImagePart.sendable("image/png", ImagePart.MAX_BYTES + 1L), "too large for a saved session");
        assertFalse(ImagePart.sendable("image/svg+xml", 10), "no provider takes svg");
        assertFalse(ImagePart.sendable(null, 10));
        assertFalse(ImagePart.sendable("image/png", 0));
        assertEquals(1000, png(1000).bytes());
        assertEquals(1001, png(1001).bytes());
    }

    @Test
    void aSessionKeepsTheNewestImagesWithinItsBudgetAndTheTextOfTheOthers() {
        List<ChatMessage> m = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            m.add(new ChatMessage.ToolResult("c" + i, "mcp__p__pic", "[image image/png, 1048576 bytes]", false,
                    List.of(png(1024 * 1024))));
        }
        ImagePart.keepNewest(m);
        List<Integer> kept = m.stream().map(x -> ((ChatMessage.ToolResult) x).images().size()).toList();
        assertEquals(List.of(0, 0, 1, 1, 1), kept, "3 MiB: the three newest");
        assertEquals("[image image/png, 1048576 bytes]", ((ChatMessage.ToolResult) m.get(0)).content());
    }

    @Test
    void aSavedSessionWithoutImagesReadsAsBeforeAndOneWithImagesRoundTrips() throws Exception {
        var mapper = Json.mapper();
        ChatMessage old = mapper.readValue("{\"role\":\"tool\",\"callId\":\"c1\",\"toolName\":\"t\",\"content\":\"x\","
                + "\"error\":false}", ChatMessage.class);
        assertEquals(new ChatMessage.ToolResult("c1", "t", "x", false), old);
        assertFalse(mapper.writeValueAsString(old).contains("images"), "no empty list written");
        ChatMessage withImage = new ChatMessage.ToolResult("c2", "t", "y", false, List.of(png(3)));
        assertEquals(withImage, mapper.readValue(mapper.writeValueAsString(withImage), ChatMessage.class));
    }
}
