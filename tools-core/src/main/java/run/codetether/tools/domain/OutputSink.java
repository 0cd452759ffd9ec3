package run.codetether.tools.domain;

/** Receives process output as it is produced (for streaming); implementations must be thread-safe. */
public interface OutputSink {

    OutputSink DISCARD = new OutputSink() {
        @Override
        public void stdout(String text) {}

        @Override
        public void stderr(String text) {}
    };

    void stdout(String text);

    void stderr(String text);

    /** True once the caller has gone away (e.g. a cancelled stream): a running command is then killed. */
    default boolean cancelled() {
        return false;
    }

    /**
     * Why the call was cut off by the process that runs it (a worker shutting down, or losing its connection, in the
     * middle of a command), or null when it was not. A call that ends while this is set is not a result of the tool
     * but INTERRUPTED ({@link ToolResult#interrupted()}): it may have done part of its work, and it is stored so, so
     * a repeat of its call id is not run again.
     */
    default String interruption() {
        return null;
    }
}
