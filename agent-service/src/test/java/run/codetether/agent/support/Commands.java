package run.codetether.agent.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.TaskCommand;

public final class Commands {
    private Commands() {}

    public static Message user(String text) {
        return new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of(text)), null, null, null, null, null);
    }

    public static TaskCommand.StartTask start(String taskId, String contextId, String provider, String text) {
        return new TaskCommand.StartTask(taskId, contextId, null, user(text), provider, null, null, null, null, null,
                Map.of(), null);
    }

    /** A task that a skill runs ({@code StartTask.skill}), with the client's metadata. */
    public static TaskCommand.StartTask skill(String taskId, String contextId, String provider, String text,
            String skill, Map<String, Object> metadata) {
        return new TaskCommand.StartTask(taskId, contextId, null, user(text), provider, null, skill, null, null, null,
                metadata, null);
    }

    public static TaskCommand.ContinueTask answer(String taskId, String contextId, String text) {
        return new TaskCommand.ContinueTask(taskId, contextId, user(text), null);
    }
}
