package run.codetether.cli.tui;

import java.nio.file.Path;
import run.codetether.cli.worker.LocalWorker;

/** How the TUI's tasks work on its directory; the status line names it. */
public sealed interface WorkspaceMode {
    /** The status line's words. */
    String label();

    /** A worker serves the directory: tasks run there, edits land in place, nothing is offered. */
    record Worker(LocalWorker.Served served, boolean startedHere) implements WorkspaceMode {
        @Override
        public String label() {
            return "worker mode";
        }
    }

    /** A new conversation uploads {@code dir} (a checkout's top, or a plain directory) and offers the change back. */
    record Upload(Path dir) implements WorkspaceMode {
        @Override
        public String label() {
            return "upload mode";
        }
    }

    /** Tasks carry no workspace: {@code --no-workspace}, or {@code why} (the home directory, ...). */
    record None(String why) implements WorkspaceMode {
        @Override
        public String label() {
            return "no workspace";
        }
    }
}
