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
        assertRefused(Map.of("archive", Map.of("file_ref", 0)), "archive.file_ref 0 is not the index of a file part");
        assertRefused(Map.of("archive", Map.of("file_ref", 7)), "archive.file_ref 7 is not the index of a file part");
        assertRefused(Map.of("archive", "x"), "archive must be {\"file_ref\": n}");
        assertRefused(Map.of(), "names no source");
        assertRefused(Map.of("git", "https://h.invalid/r"), "must be an object");
    }

    @Test
    void anArchivePartIsFoundByFileRefOrByItsMediaType() {
        Part.File bundle = new Part.File("r.bundle", "application/x-git-bundle", "AAAA", null, Map.of());
        Part.File gzip = new Part.File("r.tgz", "application/gzip", "AAAA", null, Map.of());
        Part.File png = new Part.File("a.png", "image/png", "AAAA", null, Map.of());
        assertEquals(1, WorkspaceParams.archivePart(withParts(Map.of(), bundle)));
        assertEquals(2, WorkspaceParams.archivePart(withParts(Map.of("workspace", Map.of("archive",
                Map.of("fileRef", 2.0))), png, new Part.File("x", null, "AAAA", null, Map.of()))));
        assertEquals(-1, WorkspaceParams.archivePart(withParts(Map.of(), png)));
        assertArchiveRefused(withParts(Map.of(), bundle, gzip), "are both archives");
        assertArchiveRefused(withParts(Map.of("workspace", Map.of("archive", Map.of("file_ref", 1)))), "not the index");
        assertArchiveRefused(withParts(Map.of("workspace", Map.of("archive", Map.of("file_ref", 1))), png),
                "has media type image/png");
        assertArchiveRefused(withParts(Map.of("workspace", Map.of("git", Map.of("url", "https://h.invalid/r"))), gzip),
                "a workspace has one source");
        assertArchiveRefused(withParts(Map.of("workspace", Map.of("codebase", "api")), gzip), "send one of them");
        assertArchiveRefused(withParts(Map.of("workspace", Map.of("push", Map.of("branch", "codetether/x"))), gzip),
                "push needs a git source");
        assertArchiveRefused(withParts(Map.of(), new Part.File("r", "application/x-git-bundle", null,
                "https://h.invalid/r.bundle", Map.of())), "given by URL");
        assertArchiveRefused(withParts(Map.of(), new Part.File("r", "application/x-git-bundle", null,
                "urn:codetether:staged-archive:ab", Map.of())), "are the gateway's own");
    }

    private static void assertArchiveRefused(Message m, String expected) {
        A2AException e = assertThrows(A2AException.class, () -> WorkspaceParams.archivePart(m));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static Message withParts(Map<String, Object> metadata, Part... files) {
        List<Part> parts = new java.util.ArrayList<>(List.of(Part.Text.of("fix it")));
        parts.addAll(List.of(files));
        return new Message("m", Role.USER, parts, null, null, List.of(), List.of(), metadata);
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
