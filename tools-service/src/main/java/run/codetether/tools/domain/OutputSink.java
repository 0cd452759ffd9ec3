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
}
