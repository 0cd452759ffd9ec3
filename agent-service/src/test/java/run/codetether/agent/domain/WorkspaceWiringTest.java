package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.ScriptedWorkspaces;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.TaskWorkspace;
import run.codetether.fixtures.llm.Reply;

/**
 * What the loop does with a task's workspace: prepared before the first model call (or the task fails with
 * tools-service's reason), described to the model, and at the end pushed when asked and reported as the
 * {@code changes} artifact.
 */
class WorkspaceWiringTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();
    final ScriptedWorkspaces ws = new ScriptedWorkspaces();

    static TaskCommand.StartTask start(String taskId, String contextId, TaskWorkspace workspace) {
        return new TaskCommand.StartTask(taskId, contextId, null, Commands.user("fix the bug"), "moonshotai", null,
                null, null, null, null, workspace, Map.of(), null);
    }

    static final TaskWorkspace GIT = new TaskWorkspace(new TaskWorkspace.Git("git://127.0.0.1:9/project.git", "main",
            null, false), null, true);

    AgentLoop loop() {
        return h.loop(ws, WorkspaceSettings.defaults());
    }

    /** A call that runs in the workspace: the end asks for the diff only after one. */
    static Reply.Answer edit() {
        return Reply.tools(Reply.call("w1", "write_file", Map.of("path", "a.txt", "content", "new\n")));
    }

    @Test
    void theWorkspaceIsPreparedBeforeTheFirstModelCallAndTheChangeEndsTheTask() {
        h.llm.enqueue(edit(), Reply.text("Fixed the sign in Calc.add\n\nDetails follow."));
        h.run(loop(), start("t-1", "c-1", GIT));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-1").status().state());
        assertEquals(List.of("prepare", "changes"), ws.ops());
        Object[] prep = (Object[]) ws.calls.get(0).detail();
        assertEquals(GIT.source(), prep[0]);
        assertEquals(true, prep[1], "egress as the task asked");
        assertEquals("c-1", ws.calls.get(0).sessionId());
        String system = h.llm.requests().get(0).bodyText();
        assertTrue(system.contains("git checkout of git://127.0.0.1/project.git on branch main"), system);
        assertTrue(system.contains("Do not commit"), system);

        Artifact changes = artifact("t-1", WorkspaceExtension.CHANGES_ARTIFACT);
        Part.Text diff = (Part.Text) changes.parts().get(0);
        assertEquals(WorkspaceExtension.DIFF_MEDIA_TYPE, diff.mediaType());
        assertEquals(new String(ws.diff, StandardCharsets.UTF_8), diff.text());
        Map<?, ?> data = (Map<?, ?>) ((Part.Data) changes.parts().get(1)).data();
        assertEquals(1, data.get(MetadataKeys.FILES_CHANGED));
        assertEquals("main", data.get(MetadataKeys.BASE_REF));
        assertFalse(data.containsKey(MetadataKeys.PUSHED));
        assertEquals(List.of(WorkspaceExtension.URI), changes.extensions());
        List<TaskEvent> ev = h.events.of("t-1");
        assertTrue(ev.indexOf(h.finalOf("t-1")) > ev.stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals("changes")).findFirst().map(ev::indexOf).orElseThrow(), "before the end");
    }

    @Test
    void aPushCommitsWithTheAnswersFirstLineAndTheArtifactNamesThePushedCommit() {
        TaskWorkspace push = new TaskWorkspace(GIT.source(), new TaskWorkspace.Push("codetether/fix-1"), null);
        Workspaces.Author author = new Workspaces.Author("Bot", "bot@example.invalid");
        h.llm.enqueue(Reply.text("## Fix the sign in Calc.add\n\nThe test passes now."));
        h.run(h.loop(ws, new WorkspaceSettings(author, 1 << 20)), start("t-p", "c-p", push));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-p").status().state());
        assertEquals(List.of("prepare", "push", "changes"), ws.ops());
        Object[] p = (Object[]) ws.calls.get(1).detail();
        assertEquals("codetether/fix-1", p[0]);
        String message = (String) p[1];
        assertTrue(message.startsWith("Fix the sign in Calc.add\n\n"), message);
        assertTrue(message.contains("The test passes now.") && message.endsWith("CodeTether-Task: t-p\n"), message);
        assertEquals(author, p[2]);
        assertTrue(h.llm.requests().get(0).bodyText().contains("pushed to branch codetether/fix-1"));
        Map<?, ?> data = (Map<?, ?>) ((Part.Data) artifact("t-p", "changes").parts().get(1)).data();
        assertEquals(Map.of("branch", "codetether/fix-1", "commit", "feedface00000000000000000000000000000000"),
                data.get(MetadataKeys.PUSHED));
    }

    @Test
    void aFailedPrepareFailsTheTaskWithTheReasonBeforeAnyModelCall() {
        ws.prepareFailure = new Workspaces.Failure(Workspaces.Failure.Kind.REFUSED,
                "host 10.0.0.1:443 is not on the allowlist (CODETETHER_TOOLS_GIT_ALLOWED_HOSTS)");
        h.run(loop(), start("t-f", "c-f", GIT));

        TaskEvent.StatusChanged end = h.finalOf("t-f");
        assertEquals(TaskState.FAILED, end.status().state());
        assertEquals("The workspace could not be prepared: host 10.0.0.1:443 is not on the allowlist "
                + "(CODETETHER_TOOLS_GIT_ALLOWED_HOSTS)", end.status().message().text());
        assertEquals(0, h.llm.requests().size());
        assertEquals(List.of("prepare"), ws.ops(), "no diff of a workspace that does not exist");
    }

    @Test
    void aFailedPushFailsTheTaskButTheChangeStaysInItsArtifact() {
        ws.pushFailure = new Workspaces.Failure(Workspaces.Failure.Kind.CONFLICT,
                "the remote's codetether/x moved (non-fast-forward)");
        TaskWorkspace push = new TaskWorkspace(GIT.source(), new TaskWorkspace.Push("codetether/x"), null);
        h.llm.enqueue(Reply.text("Done"));
        h.run(loop(), start("t-pf", "c-pf", push));

        TaskEvent.StatusChanged end = h.finalOf("t-pf");
        assertEquals(TaskState.FAILED, end.status().state());
        String text = end.status().message().text();
        assertTrue(text.contains("pushing it to codetether/x failed: the remote's codetether/x moved"), text);
        assertTrue(text.contains("codetether apply t-pf"), text);
        assertEquals("text/x-diff", ((Part.Text) artifact("t-pf", "changes").parts().get(0)).mediaType());
    }

    @Test
    void aSourcedTaskThatRanNoCallAndAskedForNoPushReportsNoChange() {
        h.llm.enqueue(Reply.text("It is a calculator."));
        h.run(loop(), start("t-q", "c-q", GIT));

        assertEquals(TaskState.COMPLETED, h.finalOf("t-q").status().state());
        assertEquals(List.of("prepare"), ws.ops(), "prepared before the model call, no diff without a call");
        assertTrue(artifactOf("t-q", "changes").isEmpty());
    }

    @Test
    void aLaterTaskReusesTheWorkspaceAndKeepsItsEgressAndAnUnchangedWorkspaceIsNotReportedAgain() {
        h.llm.enqueue(edit(), Reply.text("first"), Reply.tools(Reply.call("r1", "read_file", Map.of("path", "a.txt"))),
                Reply.text("second"));
        AgentLoop loop = loop();
        h.run(loop, start("t-a", "c-m", GIT));
        h.run(loop, start("t-b", "c-m", null));

        assertEquals(List.of("prepare", "changes", "prepare", "changes"), ws.ops(), "t-b's made on its first call");
        String before = h.llm.requests().get(2).bodyText();
        assertTrue(before.contains("git checkout of git://127.0.0.1/project.git"),
                "before its first call t-b is told what the context's workspace is: " + before);
        Object[] second = (Object[]) ws.calls.get(2).detail();
        assertNull(second[0], "no source: the context's workspace as it is");
        assertEquals(true, second[1], "the context keeps its egress");
        assertTrue(artifactOf("t-a", "changes").isPresent());
        assertTrue(artifactOf("t-b", "changes").isEmpty(), "the same diff as the task before");
    }

    @Test
    void aDiffOverTheCapIsLeftOutWithTheReasonAndANonUtf8DiffTravelsAsBytes() {
        ws.diff = new byte[2048];
        h.llm.enqueue(edit(), Reply.text("big"));
        h.run(h.loop(ws, new WorkspaceSettings(null, 1024)), start("t-big", "c-big", GIT));
        Artifact big = artifact("t-big", "changes");
        assertEquals(1, big.parts().size());
        Map<?, ?> data = (Map<?, ?>) ((Part.Data) big.parts().get(0)).data();
        assertTrue(String.valueOf(data.get(MetadataKeys.DIFF_OMITTED)).contains("max-diff-artifact-bytes"), data.toString());
        assertEquals(1, data.get(MetadataKeys.FILES_CHANGED));

        ws.diff = "diff --git a/l.txt b/l.txt\n+caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        h.llm.enqueue(edit(), Reply.text("latin-1"));
        h.run(loop(), start("t-l1", "c-l1", GIT));
        Part.File file = (Part.File) artifact("t-l1", "changes").parts().get(0);
        assertEquals("text/x-diff", file.mediaType());
        assertEquals(List.of(ws.diff.length), List.of(Base64.getDecoder().decode(file.bytesBase64()).length));
    }

    @Test
    void withoutWorkspaceRpcsAPlainTaskStillRunsButAWorkspaceRequestFailsClearly() {
        ws.prepareFailure = new Workspaces.Failure(Workspaces.Failure.Kind.UNSUPPORTED,
                "tools-service at 127.0.0.1:1 has no workspace RPCs (upgrade tools-service)");
        h.llm.enqueue(Reply.text("plain"));
        h.run(loop(), start("t-old", "c-old", null));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-old").status().state());
        assertTrue(artifactOf("t-old", "changes").isEmpty());

        h.run(loop(), start("t-old2", "c-old2", GIT));
        assertEquals(TaskState.FAILED, h.finalOf("t-old2").status().state());
        assertTrue(h.finalOf("t-old2").status().message().text().contains("has no workspace RPCs"));
    }

    private Artifact artifact(String taskId, String name) {
        return artifactOf(taskId, name).orElseThrow(() -> new AssertionError("no " + name + " artifact: "
                + h.events.of(taskId)));
    }

    private java.util.Optional<Artifact> artifactOf(String taskId, String name) {
        return h.events.of(taskId).stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a
                && a.artifact().name().equals(name)).map(e -> ((TaskEvent.ArtifactAdded) e).artifact()).findFirst();
    }
}
