package run.codetether.agent.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * The workspace port as a test drives it: each call is recorded in order, and answers what the test set (a prepared
 * git checkout, a diff, a push) or the failure it set. The real RPCs are proven against a real tools-service in the
 * e2e tests; this checks what the loop does with their answers.
 */
public final class ScriptedWorkspaces implements Workspaces {
    public record Call(String op, String sessionId, Object detail) {}

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    public volatile Prepared prepared = new Prepared("git", "git://127.0.0.1/project.git", "main",
            "0123456789abcdef0123456789abcdef01234567", "main", false, false, 12, List.of());
    public volatile byte[] diff = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n"
            .getBytes(StandardCharsets.UTF_8);
    public volatile Stats stats = new Stats(1, 1, 1, "main", "0123456789abcdef0123456789abcdef01234567");
    public volatile Failure prepareFailure;
    public volatile Failure pushFailure;
    public final List<String> commits = new ArrayList<>();

    @Override
    public Prepared prepare(String sessionId, TaskWorkspace.Source source, boolean egress) throws Failure {
        calls.add(new Call("prepare", sessionId, new Object[] {source, egress}));
        if (prepareFailure != null) {
            throw prepareFailure;
        }
        Prepared p = prepared;
        return new Prepared(p.kind(), p.source(), p.baseRef(), p.baseCommit(), p.branch(), egress, p.reused(),
                p.durationMs(), p.notes());
    }

    @Override
    public Changes changes(String sessionId) {
        calls.add(new Call("changes", sessionId, null));
        return new Changes(diff, stats);
    }

    @Override
    public Committed commit(String sessionId, String message, Author author) {
        calls.add(new Call("commit", sessionId, message));
        commits.add(message);
        return new Committed(true, "c0ffee" + commits.size() + "0000000000000000000000000000000000", "main");
    }

    @Override
    public Pushed push(String sessionId, String branch, String message, Author author) throws Failure {
        calls.add(new Call("push", sessionId, new Object[] {branch, message, author}));
        if (pushFailure != null) {
            throw pushFailure;
        }
        return new Pushed(branch, "feedface00000000000000000000000000000000", "git://127.0.0.1/project.git");
    }

    public List<String> ops() {
        return calls.stream().map(Call::op).toList();
    }
}
