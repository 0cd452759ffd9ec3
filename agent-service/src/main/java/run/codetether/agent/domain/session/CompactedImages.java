package run.codetether.agent.domain.session;

import java.util.ArrayList;
import java.util.List;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ImagePart;

/**
 * The images of compacted turns: the summary that replaces those turns is text, so without this the model would lose
 * every image a tool showed it before the cut. The newest ones go on with the summary (as images to a vision model);
 * the older ones are named, with why they are not sent again. Images the session's byte budget already dropped
 * ({@link ImagePart#keepNewest}) are only named by their tool result's text, which the summary was written from.
 */
final class CompactedImages {
    /** Images carried after a summary (each costs a vision model about 1,600 tokens of context). */
    static final int CARRIED = 4;

    private CompactedImages() {}

    static ChatMessage.User summaryMessage(String summary, List<ChatMessage> compacted) {
        List<ImagePart> carried = new ArrayList<>();
        List<String> carriedNames = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int i = compacted.size() - 1; i >= 0; i--) {
            ChatMessage m = compacted.get(i);
            List<ImagePart> images = switch (m) {
                case ChatMessage.ToolResult r -> r.images();
                case ChatMessage.User u -> u.images();
                case ChatMessage.Assistant a -> List.of();
            };
            String from = m instanceof ChatMessage.ToolResult r ? " from " + r.toolName() + " (call " + r.callId() + ")"
                    : " from the user";
            for (int k = images.size() - 1; k >= 0; k--) {
                ImagePart p = images.get(k);
                String name = p.mimeType() + ", " + p.bytes() + " bytes" + from;
                if (carried.size() < CARRIED) {
                    carried.add(0, p);
                    carriedNames.add(0, name);
                } else {
                    dropped.add(0, name);
                }
            }
        }
        StringBuilder text = new StringBuilder("Summary of the conversation so far (older turns were compacted):\n")
                .append(summary);
        if (!carried.isEmpty()) {
            text.append("\n\nThe newest image").append(carried.size() == 1 ? "" : "s")
                    .append(" of the compacted turns, sent with this message to a model that reads images:");
            for (int i = 0; i < carriedNames.size(); i++) {
                text.append("\n").append(i + 1).append(". ").append(carriedNames.get(i));
            }
        }
        if (!dropped.isEmpty()) {
            text.append("\n\nNot sent again (compaction carries only the newest ").append(CARRIED).append(" images): ")
                    .append(String.join("; ", dropped)).append('.');
        }
        return new ChatMessage.User(text.toString(), carried);
    }
}
