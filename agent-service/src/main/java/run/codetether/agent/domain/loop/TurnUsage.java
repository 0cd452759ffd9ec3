package run.codetether.agent.domain.loop;

import java.util.Map;
import java.util.function.Consumer;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/**
 * Where a model turn's own usage goes on the wire when a further step follows the turn: on the step's first tool
 * update (the start of its first call, with the arguments; the call's end where the call has no start update, as
 * a refused or malformed call), which then also names the turn's provider and model. It had a WORKING status of
 * its own: one record more per step on {@code tasks.events} for every reader (issue 20's agent-bench C path). When
 * the step's first event cannot carry it (an answer chunk, a tool's live output, a question, an end state), the
 * turn's update goes out first as its own status, as before, so the usage always precedes what the step does.
 */
final class TurnUsage {
    private TurnUsage() {
    }

    /**
     * The event to publish for {@code event}: the same event, or the tool update carrying the pending turn's model
     * and usage. A pending turn that cannot ride on it is handed to {@code out} first. Called on the run's thread
     * for every event the run publishes.
     */
    static TaskEvent carry(RunContext cx, TaskEvent event, Consumer<TaskEvent> out) {
        Progress turn = cx.turnUpdate;
        if (turn == null) {
            return event;
        }
        cx.turnUpdate = null;
        if (event instanceof TaskEvent.StatusChanged s && carries(s, turn)) {
            return new TaskEvent.StatusChanged(s.taskId(), s.contextId(), s.workerId(), s.status(),
                    s.progress().withModel(turn.provider(), turn.model()).withUsage(turn.usage()), s.details(),
                    s.submission(), s.at(), s.finishes());
        }
        out.accept(alone(cx, turn));
        return event;
    }

    /**
     * A call's start (its arguments) or end (its result or error) in the turn's step, carrying no usage of its own;
     * not streamed output, and not a tool's own progress (Ralph's story events, a loop tool's messages), which
     * readers show as that tool's rows.
     */
    private static boolean carries(TaskEvent.StatusChanged s, Progress turn) {
        Progress p = s.progress();
        Map<String, Object> d = s.details();
        return s.status().state() == TaskState.WORKING && p.tool() != null && p.callId() != null && !p.partial()
                && p.usage() == null && p.provider() == null && p.model() == null
                && java.util.Objects.equals(p.step(), turn.step()) && s.status().message() == null
                && (d.containsKey(MetadataKeys.ARGUMENTS) || d.containsKey(MetadataKeys.RESULT)
                        || d.containsKey(MetadataKeys.ERROR));
    }

    /** The turn's update as a status of its own. */
    static TaskEvent.StatusChanged alone(RunContext cx, Progress turn) {
        return new TaskEvent.StatusChanged(cx.run.taskId(), cx.run.contextId(), cx.workerId(),
                new TaskStatus(TaskState.WORKING, null, null), turn, Map.of(), null);
    }
}
