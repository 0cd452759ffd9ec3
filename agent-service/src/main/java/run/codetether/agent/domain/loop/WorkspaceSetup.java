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
 * The step before the first model call: the task's workspace made ready by tools-service (PrepareWorkspace) from
 * the task's {@code workspace} (a git remote, a staged archive) or, without one, the context's workspace as it is
 * (an empty git repository for a new context, so every task's change can be returned as a diff). A repeated run of
 * the same task (a redelivery, a resume) prepares again, which tools-service answers with the workspace it already
 * has. A failure fails the task with tools-service's reason, which is free of credentials. Sub-agents and swarm
 * subtasks work in a workspace their parent prepared. Thread-safe: no per-run state.
 */
final class WorkspaceSetup {
    private static final Logger LOG = Logger.getLogger(WorkspaceSetup.class);
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
        cx.session.workspaceEgress = p.egress();
        cx.task.pushBranch = want == null || want.push() == null ? null : want.push().branch();
        cx.task.workspace = note(p, cx.task.pushBranch);
        if (source != null || !p.notes().isEmpty()) {
            reporter.status(cx, TaskState.WORKING, ready(p), Progress.step(cx.task.steps), Map.of());
        }
        return true;
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
