package run.codetether.tools.domain.exec;

import java.io.InputStream;
import java.io.OutputStream;
import run.codetether.tools.domain.OutputSink;

/**
 * Runs commands for a session with the workspace as the only writable place. Implementations: bubblewrap (the
 * default), one that refuses everything because bubblewrap is missing, and an unsandboxed one an operator must
 * switch on deliberately.
 */
public interface Sandbox {

    /** Runs to completion (or the timeout, which kills the whole process tree), streaming output to the sink. */
    ExecResult run(ExecSpec spec, OutputSink sink);

    /**
     * Starts a long-lived process with piped stdio (language servers). The caller must {@link Interactive#close}
     * it; the spec's timeout still bounds its life.
     */
    Interactive start(ExecSpec spec);

    /** One-line description for logs and List output (e.g. "bubblewrap 0.8.0, no network"). */
    String describe();

    /** A running process with its standard streams. */
    interface Interactive extends AutoCloseable {
        OutputStream stdin();

        InputStream stdout();

        boolean isAlive();

        @Override
        void close();
    }
}
