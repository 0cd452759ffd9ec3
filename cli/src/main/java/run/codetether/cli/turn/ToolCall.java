package run.codetether.cli.turn;

/**
 * One tool call as the client saw it: started by a working status naming the tool, ended by the update carrying its
 * result or error (or, from an older agent that sends none, by the task's next event); the duration is measured
 * here from start to end.
 */
public final class ToolCall {
    public enum Status { RUNNING, DONE, FAILED, CANCELED, WAITING }

    public final String callId;
    public final String name;
    public final String arguments;
    public final long startedNanos;
    Status status = Status.RUNNING;
    long endedNanos;
    String output = "";
    String result = "";
    boolean expanded;

    ToolCall(String callId, String name, String arguments, long startedNanos) {
        this.callId = callId;
        this.name = name;
        this.arguments = arguments;
        this.startedNanos = startedNanos;
    }

    public Status status() {
        return status;
    }

    /** Live output (bash) or the result summary when the wire carried one. */
    public String output() {
        return result.isEmpty() ? output : result;
    }

    public boolean expanded() {
        return expanded;
    }

    public void toggle() {
        expanded = !expanded;
    }

    public long millis(long nowNanos) {
        return ((status == Status.RUNNING || status == Status.WAITING ? nowNanos : endedNanos) - startedNanos) / 1_000_000;
    }

    void end(Status s, long nowNanos) {
        if (status == Status.RUNNING || status == Status.WAITING) {
            status = s;
            endedNanos = nowNanos;
        }
    }

    /** {@code 1.2s}, {@code 340ms}. */
    public static String duration(long millis) {
        return millis < 1000 ? millis + "ms" : String.format("%.1fs", millis / 1000.0);
    }
}
