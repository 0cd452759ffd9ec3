package run.codetether.cli.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import run.codetether.platform.json.Json;

/** The finished answer as the last chunk of what streamed (issue 18): the CLI's answer is the whole text. */
class ClosedAnswerTest {
    private final Turn turn = new Turn(0);

    private boolean apply(String json, long at) throws Exception {
        return turn.apply(Json.mapper().readTree(json), at);
    }

    private static String artifact(String text, boolean append, boolean last, String metadata) {
        return "{\"artifactUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"append\":" + append + ",\"lastChunk\":"
                + last + ",\"artifact\":{\"artifactId\":\"answer-t\",\"name\":\"answer\",\"parts\":[{\"text\":\""
                + text + "\"}],\"metadata\":" + metadata + "}}}";
    }

    private static String chunk(String text, long offset) {
        return artifact(text, offset > 0, false, "{\"partial\":true,\"step\":1,\"text_offset\":" + offset + "}");
    }

    @Test
    void theClosingChunkCompletesTheStreamedText() throws Exception {
        apply(chunk("Hello", 0), 1);
        apply(chunk(" world", 5), 2);
        apply(artifact(", bye", true, true, "{\"text_offset\":11}"), 3);
        assertTrue(apply("{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":"
                + "\"TASK_STATE_COMPLETED\",\"message\":{\"parts\":[{\"text\":\"Hello world, bye\"}]}},"
                + "\"metadata\":{}}}", 4));
        assertEquals("Hello world, bye", turn.answer());
    }

    @Test
    void anAnswerSentWholeIsTheAnswerAsBefore() throws Exception {
        apply(chunk("draft", 0), 1);
        apply(artifact("The answer", false, true, "{}"), 2);
        assertEquals("The answer", turn.answer());
    }
}
