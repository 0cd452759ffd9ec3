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
}
