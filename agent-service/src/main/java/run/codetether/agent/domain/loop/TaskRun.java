package run.codetether.agent.domain.loop;

import run.codetether.contracts.events.TaskCommand;

/**
 * One execution of a task command on this worker. {@link #cancel} stops it within a second (the loop's thread
 * is interrupted, which ends a model or tool call in flight); {@link #abandon} stops it without any further
 * event or session write, as when a worker hands the task to another replica. Thread-safe.
 */
public final class TaskRun {
    private final TaskCommand command;
    private volatile Thread thread;
    private volatile String cancelReason;
    private volatile boolean abandoned;

    public TaskRun(TaskCommand command) {
        this.command = command;
    }

    public TaskCommand command() {
        return command;
    }

    public String taskId() {
        return command.taskId();
    }

    public String contextId() {
        return command.contextId();
    }

    void bind(Thread t) {
        this.thread = t;
        if ((cancelReason != null || abandoned) && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    public void cancel(String reason) {
        cancelReason = reason == null || reason.isBlank() ? "canceled by request" : reason;
        interrupt();
    }

    public void abandon() {
        abandoned = true;
        interrupt();
    }

    private void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    public boolean canceled() {
        return cancelReason != null;
    }

    public String cancelReason() {
        return cancelReason;
    }

    public boolean abandoned() {
        return abandoned;
    }

    /** Thrown inside the loop to unwind when the run was canceled or abandoned. */
    static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }
}
