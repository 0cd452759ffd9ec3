package run.codetether.contracts.a2a;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One turn of a conversation between a client and the agent. */
public record Message(
        String messageId,
        Role role,
        List<Part> parts,
        String contextId,
        String taskId,
        List<String> referenceTaskIds,
        List<String> extensions,
        Map<String, Object> metadata) {

    public Message {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("message needs a messageId");
        }
        if (role == null) {
            throw new IllegalArgumentException("message needs a role");
        }
        parts = parts == null ? List.of() : List.copyOf(parts);
        referenceTaskIds = referenceTaskIds == null ? List.of() : List.copyOf(referenceTaskIds);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Message agentText(String messageId, String contextId, String taskId, String text) {
        return new Message(messageId, Role.AGENT, List.of(Part.Text.of(text)), contextId, taskId, null, null, null);
    }

    /** All text parts joined by newlines: what a language model reads of this message. */
    public String text() {
        return parts.stream()
                .filter(p -> p instanceof Part.Text)
                .map(p -> ((Part.Text) p).text())
                .collect(Collectors.joining("\n"));
    }
}
