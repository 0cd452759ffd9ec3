package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.contracts.events.TaskCommand;

/**
 * A2A skills a loop tool serves ({@code StartTask.skill}). Two ways, chosen by the tool: a skill call (ralph) starts
 * the task with the tool's call already in the session, as if the model had made it, so it runs, saves and resumes
 * like any call, and its result is the task's answer; a direct run (rlm) answers before the first model call.
 */
final class SkillTasks {
    /** Id prefix of the tool call a skill task starts with. */
    private static final String SKILL_CALL = "skill-";
    private final Map<String, LoopTool> loopTools;
    private final StatusReporter reporter;

    SkillTasks(Map<String, LoopTool> loopTools, StatusReporter reporter) {
        this.loopTools = loopTools;
        this.reporter = reporter;
    }

    /** The call a new task starts with when a loop tool claims its skill. */
    Optional<ToolCall> startingCall(TaskCommand.StartTask start) {
        if (start.skill() == null) {
            return Optional.empty();
        }
        for (LoopTool t : loopTools.values()) {
            Optional<String> args = t.skillCall(start.skill(), start.message().text(), start.metadata());
            if (args.isPresent()) {
                return Optional.of(new ToolCall(SKILL_CALL + start.taskId(), t.spec().name(), args.get()));
            }
        }
        return Optional.empty();
    }

    /** Runs a direct skill before the first model call; true when it ran (the task then ended). */
    boolean runDirect(RunContext cx) throws InterruptedException {
        if (!(cx.run.command() instanceof TaskCommand.StartTask start) || start.skill() == null || cx.depth > 0
                || cx.task.steps > 0) {
            return false;
        }
        LoopTool tool = loopTools.get(start.skill());
        Optional<LoopTool.Result> r = tool == null ? Optional.empty()
                : tool.runSkill(start, new RunAccess(cx, tool.spec().name(), null));
        if (r.isEmpty()) {
            return false;
        }
        if (r.get().error()) {
            reporter.fail(cx, r.get().content());
        } else {
            cx.session.messages.add(new ChatMessage.Assistant(r.get().content(), List.of()));
            reporter.complete(cx, r.get().content());
        }
        return true;
    }

    /** When the skill call's result is the last message, it is the task's answer (an error result fails it). */
    boolean answered(RunContext cx) {
        List<ChatMessage> m = cx.session.messages;
        if (m.isEmpty() || !(m.get(m.size() - 1) instanceof ChatMessage.ToolResult r)
                || !r.callId().equals(SKILL_CALL + cx.task.taskId)) {
            return false;
        }
        if (r.error()) {
            reporter.fail(cx, r.content());
        } else {
            reporter.complete(cx, r.content());
        }
        return true;
    }
}
