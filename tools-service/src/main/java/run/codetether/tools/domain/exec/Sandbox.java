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

    /**
     * Like {@link #start(ExecSpec)}, but with the process's stderr readable through {@link Interactive#stderr()} (the
     * caller must drain it, or a chatty process stalls on a full pipe). MCP servers use it: their stderr explains a
     * crash.
     */
    default Interactive startWithStderr(ExecSpec spec) {
        throw new UnsupportedOperationException(describe() + " cannot keep a process's stderr");
    }

    /** One-line description for logs and List output (e.g. "bubblewrap 0.8.0, no network"). */
    String describe();

    /** A running process with its standard streams. */
    interface Interactive extends AutoCloseable {
        OutputStream stdin();

        InputStream stdout();

        boolean isAlive();

        /** The process's stderr; an empty stream when it is discarded. */
        default InputStream stderr() {
            return InputStream.nullInputStream();
        }

        /** Completes with the exit code when the process (the outermost one the sandbox started) ends. */
        default java.util.concurrent.CompletableFuture<Integer> onExit() {
            return new java.util.concurrent.CompletableFuture<>();
        }

        @Override
        void close();
    }
}
