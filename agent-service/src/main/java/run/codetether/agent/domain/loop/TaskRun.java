package run.codetether.agent.domain.loop;

import run.codetether.contracts.events.TaskCommand;

/**
 * One execution of a task command on this worker. {@link #cancel} stops it within a second (the loop's thread
 * is interrupted, which ends a model or tool call in flight); {@link #abandon} stops it without any further
 * event or session write, as when a worker hands the task to another replica. A run whose end state is saved
 * ({@link #ending}) is past abandoning: it publishes that end even when its partition moved meanwhile, since the
 * next owner only finds the ended task in the session and must not have to guess whether the end went out (issue
 * 19's broker drill: the group fenced the worker as the broker came back, between the end's save and its events).
 * Thread-safe.
 */
public final class TaskRun {
    private final TaskCommand command;
    private volatile Thread thread;
    private volatile String cancelReason;
    private volatile boolean abandoned;
    private boolean ending;
    private volatile String unreported;

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
        synchronized (this) {
            abandoned = true;
            if (ending) {
                return; // it only publishes its saved end now; an interrupt would cut that short
            }
        }
        interrupt();
    }

    /**
     * The run's end state is saved: from here it publishes that end whatever happens to its partition.
     *
     * @return false when it was abandoned before (then it stops as any abandoned run)
     */
    synchronized boolean ending() {
        if (abandoned) {
            return false;
        }
        ending = true;
        return true;
    }

    /** Whether the run's end state is saved and its events go out even if it is abandoned. */
    synchronized boolean isEnding() {
        return ending;
    }

    /** The run ended without its end reaching the event log (why); its command must run again. */
    void unreported(String why) {
        unreported = why;
    }

    /**
     * Why the run's end did not reach the event log (a broker outage longer than the producer waits), or null.
     * Such a command runs again: the next run finds the end in the session and publishes it.
     */
    public String unreported() {
        return unreported;
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
