package run.codetether.agent.domain.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ImagePart;
import run.codetether.platform.json.Json;

/** A compacted history keeps its newest images after the summary and names the ones it does not send again. */
class CompactedImagesTest {

    static ImagePart png(int n) {
        return new ImagePart("image/png", Base64.getEncoder().encodeToString(("png-" + n).getBytes()));
    }

    /** Six screenshots in the compacted turns, one in the recent ones. */
    static Session session() {
        Session s = new Session("c");
        s.messages.add(new ChatMessage.User("look at the screens"));
        for (int i = 1; i <= 5; i++) {
            s.messages.add(new ChatMessage.Assistant("", List.of(new run.codetether.agent.domain.model.ToolCall("c" + i,
                    "mcp__ui__shot", "{}"))));
            List<ImagePart> images = i == 5 ? List.of(png(5), png(6)) : List.of(png(i));
            s.messages.add(new ChatMessage.ToolResult("c" + i, "mcp__ui__shot", "[image image/png]", false, images));
        }
        s.messages.add(new ChatMessage.Assistant("", List.of(new run.codetether.agent.domain.model.ToolCall("c7",
                "mcp__ui__shot", "{}"))));
        s.messages.add(new ChatMessage.ToolResult("c7", "mcp__ui__shot", "[image image/png]", false, List.of(png(7))));
        s.summary = "the user wants the screens checked";
        s.summarizedCount = 11;
        return s;
    }

    @Test
    void theNewestFourImagesOfTheCompactedTurnsGoOnWithTheSummaryAndTheOlderAreNamed() {
        List<ChatMessage> view = session().modelView();
        ChatMessage.User summary = (ChatMessage.User) view.get(0);
        assertEquals(List.of(png(3), png(4), png(5), png(6)), summary.images(), "oldest to newest, the newest four");
        assertTrue(summary.text().contains("the user wants the screens checked"), summary.text());
        assertTrue(summary.text().contains("1. image/png, 5 bytes from mcp__ui__shot (call c3)"), summary.text());
        assertTrue(summary.text().contains("4. image/png, 5 bytes from mcp__ui__shot (call c5)"), summary.text());
        assertTrue(summary.text().contains("Not sent again (compaction carries only the newest 4 images): "
                + "image/png, 5 bytes from mcp__ui__shot (call c1); image/png, 5 bytes from mcp__ui__shot (call c2)."),
                summary.text());
        assertEquals(3, view.size(), "summary + the recent call and its result");
        assertEquals(List.of(png(7)), ((ChatMessage.ToolResult) view.get(2)).images(), "recent turns keep theirs");
    }

    @Test
    void aSummaryOfTurnsWithoutImagesIsPlainText() {
        Session s = new Session("c");
        s.messages.add(new ChatMessage.User("hi"));
        s.messages.add(new ChatMessage.Assistant("hello", List.of()));
        s.summary = "greetings";
        s.summarizedCount = 1;
        ChatMessage.User summary = (ChatMessage.User) s.modelView().get(0);
        assertEquals(List.of(), summary.images());
        assertEquals("Summary of the conversation so far (older turns were compacted):\ngreetings", summary.text());
    }

    @Test
    void aUserMessageWithImagesSurvivesTheSessionRecordAndAnOldOneReadsWithout() throws Exception {
        ObjectMapper json = Json.mapper();
        ChatMessage.User u = new ChatMessage.User("see", List.of(png(1)));
        assertEquals(u, json.readValue(json.writeValueAsString(u), ChatMessage.class));
        assertEquals(new ChatMessage.User("old"), json.readValue("{\"role\":\"user\",\"text\":\"old\"}",
                ChatMessage.class));
        assertTrue(!json.writeValueAsString(new ChatMessage.User("x")).contains("images"), "no empty images field");
    }
}
