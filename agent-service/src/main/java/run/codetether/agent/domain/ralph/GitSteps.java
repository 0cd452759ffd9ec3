package run.codetether.agent.domain.ralph;

import java.util.Optional;
import run.codetether.agent.domain.port.ToolExecutor;

/**
 * The original's git steps of a run, best effort: switch to the PRD's {@code branch_name} (created when missing)
 * before the first story and commit each passing story as {@code feat(<id>): <title>}. Outside a git work tree
 * (or without git in the sandbox) they are skipped and the run says so; a failed step never fails the run.
 */
final class GitSteps {
    /** Printed by the commands when the PRD's directory is not in a git work tree. */
    private static final String NO_REPO = "__CODETETHER_NO_GIT__";
    private static final String IN_REPO = "git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { printf '%s' '"
            + NO_REPO + "'; exit 0; }; ";
    /** An identity only where the repository has none, so a sandbox without git config can still commit. */
    private static final String IDENTITY = "git -c user.name=\"$(git config user.name || echo 'CodeTether Ralph')\""
            + " -c user.email=\"$(git config user.email || echo ralph@codetether.local)\" ";

    private final Workspace ws;
    private final String dir;

    GitSteps(Workspace ws, String dir) {
        this.ws = ws;
        this.dir = dir;
    }

    /** A note for the progress stream, empty when the branch is checked out. */
    Optional<String> checkout(String key, String branch) throws InterruptedException {
        if (branch.isBlank()) {
            return Optional.empty();
        }
        String b = Workspace.quote(branch);
        ToolExecutor.Outcome out = ws.run(key, dir, IN_REPO + "git checkout -q " + b + " 2>/dev/null || git checkout -q -b "
                + b, null);
        return note(out, "branch " + branch);
    }

    Optional<String> commit(String key, Prd.UserStory story) throws InterruptedException {
        String msg = Workspace.quote("feat(" + story.id().toLowerCase(java.util.Locale.ROOT) + "): " + story.title());
        ToolExecutor.Outcome out = ws.run(key, dir, IN_REPO + "git add -A && { git diff --cached --quiet && echo "
                + "'nothing to commit' || " + IDENTITY + "commit -q -m " + msg + "; }", null);
        return note(out, "commit of " + story.id());
    }

    private static Optional<String> note(ToolExecutor.Outcome out, String what) {
        if (out.ok() && out.output() != null && out.output().contains(NO_REPO)) {
            return Optional.of("not a git work tree: no " + what);
        }
        return out.ok() ? Optional.empty() : Optional.of("git " + what + " failed: " + Workspace.reason(out));
    }
}
