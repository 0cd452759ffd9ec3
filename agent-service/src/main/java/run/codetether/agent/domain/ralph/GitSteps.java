package run.codetether.agent.domain.ralph;

import java.util.Optional;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.port.Workspaces;

/**
 * The original's git steps of a run, best effort: switch to the PRD's {@code branch_name} (created when missing)
 * before the first story and commit each passing story as {@code feat(<id>): <title>}. Outside a git work tree
 * (or without git in the sandbox) they are skipped and the run says so; a failed step never fails the run.
 *
 * <p>In a workspace tools-service prepared (a clone, an upload), git cannot write from the sandbox: each story is
 * committed through CommitChanges on the workspace's working branch, and {@code branch_name} is not checked out
 * (the change leaves as the task's diff or the branch the task pushes to).
 */
final class GitSteps {
    /** Printed by the commands when the PRD's directory is not in a git work tree. */
    private static final String NO_REPO = "__CODETETHER_NO_GIT__";
    private static final String IN_REPO = "git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { printf '%s' '"
            + NO_REPO + "'; exit 0; }; ";
    /** An identity only where the repository has none, so a sandbox without git config can still commit. */
    private static final String IDENTITY = "git -c user.name=\"$(git config user.name || echo 'CodeTether Ralph')\""
            + " -c user.email=\"$(git config user.email || echo ralph@codetether.local)\" ";

    private final LoopAccess loop;
    private final Workspace ws;
    private final String dir;

    GitSteps(LoopAccess loop, Workspace ws, String dir) {
        this.loop = loop;
        this.ws = ws;
        this.dir = dir;
    }

    /** A note for the progress stream, empty when the branch is checked out. */
    Optional<String> checkout(String key, String branch) throws InterruptedException {
        if (branch.isBlank()) {
            return Optional.empty();
        }
        if (loop.preparedWorkspace()) {
            return Optional.of("stories are committed on the workspace's own branch; " + branch
                    + " is not checked out (the sandbox cannot write git)");
        }
        String b = Workspace.quote(branch);
        ToolExecutor.Outcome out = ws.run(key, dir, IN_REPO + "git checkout -q " + b + " 2>/dev/null || git checkout -q -b "
                + b, null);
        return note(out, "branch " + branch);
    }

    Optional<String> commit(String key, Prd.UserStory story) throws InterruptedException {
        String message = "feat(" + story.id().toLowerCase(java.util.Locale.ROOT) + "): " + story.title();
        if (loop.preparedWorkspace()) {
            try {
                Optional<Workspaces.Committed> c = loop.commit(message);
                return c.map(done -> done.committed()
                        ? "committed " + story.id() + " as " + shortId(done.commit()) + " on " + done.branch()
                        : "nothing to commit for " + story.id());
            } catch (Workspaces.Failure f) {
                return Optional.of("commit of " + story.id() + " failed: " + f.getMessage());
            }
        }
        String msg = Workspace.quote(message);
        ToolExecutor.Outcome out = ws.run(key, dir, IN_REPO + "git add -A && { git diff --cached --quiet && echo "
                + "'nothing to commit' || " + IDENTITY + "commit -q -m " + msg + "; }", null);
        return note(out, "commit of " + story.id());
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    private static Optional<String> note(ToolExecutor.Outcome out, String what) {
        if (out.ok() && out.output() != null && out.output().contains(NO_REPO)) {
            return Optional.of("not a git work tree: no " + what);
        }
        return out.ok() ? Optional.empty() : Optional.of("git " + what + " failed: " + Workspace.reason(out));
    }
}
