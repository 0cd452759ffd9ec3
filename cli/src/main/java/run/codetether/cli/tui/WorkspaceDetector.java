package run.codetether.cli.tui;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.command.RunWorkspace;
import run.codetether.cli.worker.LocalWorker;

/**
 * Finds, once after the first frame, how the TUI's tasks work on its directory: a connected worker of the caller
 * that serves it (worker mode), else one started for it when {@code tui --worker} asks, else an upload of the
 * directory with the change offered back, or nothing (the home directory, {@code --no-workspace}).
 */
final class WorkspaceDetector {
    /** The mode; {@code problem}: why the worker asked for is not used; {@code started}: the worker begun here. */
    record Detected(WorkspaceMode mode, String problem, LocalWorker started) {}

    private WorkspaceDetector() {}

    static Detected detect(A2aClient client, Path dir, boolean off, boolean startWorker, String accessMode,
            String apiKey, Map<String, String> env) {
        if (off) {
            return new Detected(new WorkspaceMode.None("--no-workspace"), null, null);
        }
        WorkspaceMode fallback;
        try {
            RunWorkspace.Choice upload = RunWorkspace.forNewConversation(false, null, env, dir);
            fallback = upload.dir() != null ? new WorkspaceMode.Upload(upload.dir())
                    : new WorkspaceMode.None(upload.why() == null ? "CODETETHER_WORKSPACE=off" : upload.why());
        } catch (Exception e) {
            fallback = new WorkspaceMode.None(TuiText.describe(e));
        }
        String lookupProblem = null;
        try {
            Optional<LocalWorker.Served> served = LocalWorker.find(client, dir);
            if (served.isPresent()) {
                return new Detected(new WorkspaceMode.Worker(served.get(), false), null, null);
            }
        } catch (Exception e) {
            // without --worker the first task says what is wrong with the gateway; with it, this is why none starts
            lookupProblem = TuiText.describe(e);
        }
        if (!startWorker) {
            return new Detected(fallback, null, null);
        }
        String instead = fallback instanceof WorkspaceMode.Upload
                ? "; new conversations upload the directory and offer their change instead"
                : "; tasks carry no workspace";
        if (fallback instanceof WorkspaceMode.None none) {
            return new Detected(fallback, "--worker: no worker started: " + none.why() + instead, null);
        }
        if (lookupProblem != null) {
            return new Detected(fallback, "--worker: cannot list this gateway's workers: " + lookupProblem + instead,
                    null);
        }
        try {
            LocalWorker worker = LocalWorker.start(client, dir, LocalWorker.autoApprove(accessMode), apiKey,
                    LocalWorker.stateHome(env));
            return new Detected(new WorkspaceMode.Worker(worker.served(), true), null, worker);
        } catch (Exception e) {
            return new Detected(fallback, "--worker: could not start a worker for " + dir + ": "
                    + TuiText.describe(e) + instead, null);
        }
    }
}
