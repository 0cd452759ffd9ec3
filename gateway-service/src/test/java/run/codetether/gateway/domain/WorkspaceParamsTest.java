package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.TaskWorkspace;

/** message.metadata.workspace as StartTask's typed workspace; every malformed value a clear INVALID_PARAMS. */
class WorkspaceParamsTest {
    @Test
    void gitWithPushAndEgressBecomesTheTypedWorkspace() {
        TaskWorkspace ws = WorkspaceParams.of(message(Map.of("git", Map.of("url", "https://git.example.invalid/r.git",
                "ref", "main", "depth", 0.0, "submodules", true), "push", Map.of("branch", "codetether/fix"),
                "egress", true)));
        assertEquals(new TaskWorkspace(new TaskWorkspace.Git("https://git.example.invalid/r.git", "main", 0, true),
                new TaskWorkspace.Push("codetether/fix"), true), ws);
    }

    @Test
    void noWorkspaceOrAWorkersCodebaseIsNone() {
        assertNull(WorkspaceParams.of(new Message("m", Role.USER, List.of(Part.Text.of("hi")), null, null, List.of(),
                List.of(), Map.of())));
        assertNull(WorkspaceParams.of(message(Map.of("codebase", "api"))));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertRefused(Map.of("git", Map.of("ref", "main")), "metadata.workspace.git.url is required");
        assertRefused(Map.of("git", Map.of("url", "https://u:tok@git.example.invalid/r.git")), "must not carry credentials");
        assertRefused(Map.of("git", Map.of("url", "https://h.invalid/r"), "push", Map.of("branch", "main")),
                "push branch must be codetether/<name>");
        assertRefused(Map.of("archive", Map.of("file_ref", 0)), "does not accept archive uploads yet");
        assertRefused(Map.of(), "names no source");
        assertRefused(Map.of("git", "https://h.invalid/r"), "must be an object");
    }

    private static void assertRefused(Map<String, Object> workspace, String expected) {
        A2AException e = assertThrows(A2AException.class, () -> WorkspaceParams.of(message(workspace)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Message message(Object workspace) {
        return new Message("m", Role.USER, List.of(Part.Text.of("fix it")), null, null, List.of(), List.of(),
                Map.of("workspace", workspace));
    }
}
