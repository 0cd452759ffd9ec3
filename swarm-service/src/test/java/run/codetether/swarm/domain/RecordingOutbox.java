package run.codetether.swarm.domain;

import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmState;

/** Keeps what a coordinator published, in order. */
class RecordingOutbox implements SwarmOutbox {
    final List<TaskCommand.StartTask> dispatched = new ArrayList<>();
    final List<TaskControl.CancelTask> canceled = new ArrayList<>();
    final List<TaskEvent> reported = new ArrayList<>();
    final List<SwarmState> saved = new ArrayList<>();

    @Override
    public void dispatch(TaskCommand.StartTask subtask) {
        dispatched.add(subtask);
    }

    @Override
    public void cancel(TaskControl.CancelTask cancel) {
        canceled.add(cancel);
    }

    @Override
    public void report(TaskEvent event) {
        reported.add(event);
    }

    @Override
    public void save(SwarmState state) {
        saved.add(state);
    }

    SwarmState last() {
        return saved.get(saved.size() - 1);
    }

    TaskEvent.StatusChanged finalStatus() {
        return reported.stream().filter(e -> e instanceof TaskEvent.StatusChanged s && s.isFinal())
                .map(e -> (TaskEvent.StatusChanged) e).reduce((a, b) -> b).orElse(null);
    }

    static TaskEvent.StatusChanged done(TaskCommand.StartTask t, TaskState state, String text) {
        return new TaskEvent.StatusChanged(t.taskId(), t.contextId(), "w",
                new TaskStatus(state, Message.agentText("m", t.contextId(), t.taskId(), text), null), null, null);
    }
}
