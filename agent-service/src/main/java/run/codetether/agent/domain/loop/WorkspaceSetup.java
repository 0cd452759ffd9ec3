package run.codetether.agent.domain.loop;

import java.util.Map;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.domain.swarm.SwarmWorkspace;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * The task's workspace, made ready by tools-service (PrepareWorkspace). A task with a {@code workspace} (a git
 * remote, a staged archive, a push) has it prepared before the first model call. A task without one works in its
 * context's workspace as it is (an empty git repository for a new context, so every task's change can be returned as
 * a diff), made lazily by the first call that runs in it ({@link #ensure}): a text-only answer costs no git at all.
 * A repeated run of the same task (a redelivery, a resume) prepares again, which tools-service answers with the
 * workspace it already has. A failure fails the task (before the first model call) or answers the call that needed the
 * workspace (lazily) with tools-service's reason, which is free of credentials. Sub-agents and swarm subtasks work in
 * a workspace their parent prepared. Thread-safe: no per-run state (a run's lazy making holds the run's lock).
 */
final class WorkspaceSetup {
    private static final Logger LOG = Logger.getLogger(WorkspaceSetup.class);
    /**
     * What the model is told before a new context's workspace exists. It claims no checkout and no network: both are
     * known once tools-service made it, and the next model call reads the note that says so.
     */
    static final String LAZY_NOTE = "The workspace is a new, empty git repository, made on your first tool call."
            + " Do not commit, branch or push: the git directory is read-only in the sandbox. When you are done, your"
            + " change goes back to the user as a diff.";
    private final Workspaces workspaces;
    private final StatusReporter reporter;

    WorkspaceSetup(Workspaces workspaces, StatusReporter reporter) {
        this.workspaces = workspaces;
        this.reporter = reporter;
    }

    /** @return false when the task failed here (its reason is published) */
    boolean prepare(RunContext cx) throws InterruptedException {
        if (cx.depth > 0 || !(cx.run.command() instanceof TaskCommand.StartTask start)
                || !SwarmWorkspace.callPrefix(start).isEmpty()) {
            return true;
        }
        TaskWorkspace want = start.workspace();
        if (want == null && lazy(cx)) {
            return true;
        }
        TaskWorkspace.Source source = want == null ? null : want.source();
        boolean egress = want != null && want.egress() != null ? want.egress() : cx.session.workspaceEgress;
        if (source != null) {
            cx.progress("Preparing the workspace: " + describe(source), Progress.step(cx.task.steps));
        }
        Workspaces.Prepared p;
        try {
            p = Blocking.call(() -> workspaces.prepare(cx.workspaceId, source, egress), Workspaces.Failure.class);
        } catch (Workspaces.Failure f) {
            if (f.kind() == Workspaces.Failure.Kind.UNSUPPORTED && want == null) {
                // an older tools-service: the task runs in a plain directory and ends without a changes artifact
                LOG.debugf("task %s runs without a prepared workspace: %s", cx.run.taskId(), f.getMessage());
                return true;
            }
            cx.checkStop();
            reporter.fail(cx, "The workspace could not be prepared: " + f.getMessage());
            return false;
        }
        cx.task.pushBranch = want == null || want.push() == null ? null : want.push().branch();
        ready(cx, p);
        if (source != null || !p.notes().isEmpty()) {
            reporter.status(cx, TaskState.WORKING, ready(p), Progress.step(cx.task.steps), Map.of());
        }
        return true;
    }

    /**
     * A task without a source leaves its workspace to its first call (true), unless it is a session from before
     * lazy workspaces whose context already has one (its note is not in the session): that one is described as
     * tools-service finds it, as before. A redelivered start of a task whose workspace is already made keeps it.
     */
    private static boolean lazy(RunContext cx) {
        if (cx.task.workspace != null && !cx.task.workspacePending) {
            return true;
        }
        String note = cx.session.workspaceNote;
        if (note == null && cx.session.tasks.values().stream().anyMatch(t -> t != cx.task && t.workspace != null
                && !t.workspacePending)) {
            return false;
        }
        cx.task.workspacePending = true;
        cx.task.pushBranch = null;
        cx.task.workspace = note != null ? note : LAZY_NOTE;
        return true;
    }

    /**
     * Before a call that runs in the workspace: makes a lazily made workspace (the first such call of the task, in
     * any of its runs) and counts a call that {@code runs}. Under the run's lock, so calls in parallel make it once.
     *
     * @return empty when the call may go on; otherwise why the workspace could not be made
     */
    java.util.Optional<String> ensure(RunContext cx, boolean runs) throws InterruptedException {
        cx.workspaceLock.lockInterruptibly();
        try {
            if (cx.task.workspacePending) {
                Workspaces.Prepared p;
                try {
                    p = Blocking.call(() -> workspaces.prepare(cx.workspaceId, null, cx.session.workspaceEgress),
                            Workspaces.Failure.class);
                    ready(cx, p);
                    if (!p.notes().isEmpty()) {
                        reporter.status(cx, TaskState.WORKING, ready(p), Progress.step(cx.task.steps), Map.of());
                    }
                } catch (Workspaces.Failure f) {
                    if (f.kind() != Workspaces.Failure.Kind.UNSUPPORTED) {
                        cx.checkStop();
                        LOG.debugf("task %s: its workspace could not be made: %s", cx.run.taskId(), f.getMessage());
                        return java.util.Optional.of("The workspace could not be prepared: " + f.getMessage());
                    }
                    // an older tools-service: the task runs in a plain directory and ends without a changes artifact
                    LOG.debugf("task %s runs without a prepared workspace: %s", cx.run.taskId(), f.getMessage());
                    cx.task.workspace = null;
                }
                cx.task.workspacePending = false;
            }
            if (runs) {
                cx.task.workspaceCalls++;
            }
            return java.util.Optional.empty();
        } finally {
            cx.workspaceLock.unlock();
        }
    }

    /** The workspace is there: what the model is told from now on, for this task and the context's next ones. */
    private static void ready(RunContext cx, Workspaces.Prepared p) {
        cx.session.workspaceEgress = p.egress();
        cx.task.workspacePending = false;
        cx.task.workspace = note(p, cx.task.pushBranch);
        cx.session.workspaceNote = note(p, null);
    }

    private static String describe(TaskWorkspace.Source source) {
        return switch (source) {
            case TaskWorkspace.Git g -> "cloning " + g.url() + (g.ref() == null ? "" : " at " + g.ref())
                    + (g.depth() != null && g.depth() == 0 ? " (full history)" : "");
            case TaskWorkspace.Archive a -> "unpacking " + (a.name() == null || a.name().isBlank() ? "the archive" : a.name())
                    + " (" + a.sizeBytes() + " bytes)";
        };
    }

    private static String ready(Workspaces.Prepared p) {
        StringBuilder b = new StringBuilder("Workspace ").append(p.reused() ? "reused" : "ready").append(": ")
                .append(what(p));
        if (!p.baseCommit().isEmpty()) {
            b.append(" at ").append(p.baseRef().isEmpty() ? "" : p.baseRef() + " ").append('(')
                    .append(shortId(p.baseCommit())).append(')');
        }
        if (!p.reused()) {
            b.append(" in ").append(p.durationMs()).append(" ms");
        }
        if (p.egress()) {
            b.append("; network through the egress proxy");
        }
        p.notes().forEach(n -> b.append("\n- ").append(n));
        return b.toString();
    }

    /** What the model is told about its workspace (system prompt). */
    private static String note(Workspaces.Prepared p, String pushBranch) {
        String base = p.baseCommit().isEmpty() ? "" : ", based on " + (p.baseRef().isEmpty() ? "" : p.baseRef() + " ")
                + "(" + shortId(p.baseCommit()) + ")";
        return "The workspace is a git checkout of " + what(p) + (p.branch().isEmpty() ? "" : " on branch " + p.branch())
                + base + "." + (p.egress() ? " Commands reach the network through an HTTP proxy that allows only"
                        + " listed hosts." : " Commands have no network access.")
                + " Do not commit, branch or push: the git directory is read-only in the sandbox. When you are done,"
                + " your change goes back to the user as a diff" + (pushBranch == null ? "." : " and is pushed to"
                        + " branch " + pushBranch + " as one commit whose message is the first line of your final"
                        + " answer: start that answer with a one-line summary of the change.");
    }

    private static String what(Workspaces.Prepared p) {
        return switch (p.kind()) {
            case "git" -> p.source();
            case "bundle" -> "the user's checkout (" + p.source() + ")";
            case "tarball" -> "an uploaded archive (" + p.source() + ")";
            default -> "a new repository";
        };
    }

    static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
