package run.codetether.agent.domain.loop;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.session.Session;

/** The calls of the last assistant turn that have no result yet: what a resumed run runs first. */
final class OpenCalls {
    private OpenCalls() {}

    static List<ToolCall> of(Session s) {
        for (int i = s.messages.size() - 1; i >= 0; i--) {
            if (s.messages.get(i) instanceof ChatMessage.Assistant a) {
                Set<String> answered = new HashSet<>();
                for (int j = i + 1; j < s.messages.size(); j++) {
                    if (s.messages.get(j) instanceof ChatMessage.ToolResult r) {
                        answered.add(r.callId());
                    }
                }
                return a.toolCalls().stream().filter(c -> !answered.contains(c.id())).toList();
            }
            if (s.messages.get(i) instanceof ChatMessage.User) {
                return List.of();
            }
        }
        return List.of();
    }

    /**
     * Gives every open call an error result saying why: providers refuse a history with calls that have no result
     * (a question nobody answered before a new task, a call a cancel cut off).
     */
    static void close(Session session, String why) {
        for (ToolCall open : of(session)) {
            session.messages.add(new ChatMessage.ToolResult(open.id(), open.name(), why, true));
        }
    }
}
