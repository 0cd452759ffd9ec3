package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.TaskWorkspace;

/**
 * A message's workspace archive is staged (under the task's context id) before anything is logged; the task's
 * records carry its staged id, never its bytes; an archive over the cap, or one tools-service refuses, starts no task.
 */
class TaskEngineArchiveTest {
    static final byte[] BUNDLE = "# v2 git bundle\nfake bundle bytes".getBytes(StandardCharsets.UTF_8);

    final List<String> stagedFor = new CopyOnWriteArrayList<>();
    final List<byte[]> stagedBytes = new CopyOnWriteArrayList<>();
    CompletableFuture<WorkspaceUploads.Staged> answer;

    final RecordingTaskLog log = new RecordingTaskLog(1);
    final List<TaskEvent> appended = log.appended;
    final List<TaskCommand> requested = log.requested;

    TaskEngine engine(long cap) {
        WorkspaceUploads.Stager stager = (session, mediaType, name, bytes) -> {
            stagedFor.add(session + " " + mediaType + " " + name);
            stagedBytes.add(bytes);
            return answer != null ? answer : CompletableFuture.completedFuture(
                    new WorkspaceUploads.Staged("ab12", bytes.length, WorkspaceExtension.BUNDLE_MEDIA_TYPE, name));
        };
        return new TaskEngine(log, new TaskView(), "test", () -> "id-" + System.nanoTime(), 1 << 20,
                ResponseLimits.DEFAULTS, new WorkspaceUploads(stager, cap));
    }

    static Message message(String taskId, Map<String, Object> metadata, Part... extra) {
        List<Part> parts = new java.util.ArrayList<>(List.of(Part.Text.of("Fix the test")));
        parts.addAll(List.of(extra));
        return new Message("m1", Role.USER, parts, "ctx-1", taskId, List.of(), List.of(), metadata);
    }

    static Part.File bundle(String mediaType) {
        return new Part.File("repo.bundle", mediaType, Base64.getEncoder().encodeToString(BUNDLE), null, Map.of());
    }

    static SendRequest send(Message m) {
        return new SendRequest(m, null, null, true, List.of(), null, Map.of());
    }

    @Test
    void aFileRefArchiveIsStagedUnderTheContextAndTheTaskCarriesOnlyItsId() throws Exception {
        Message m = message(null, Map.of("workspace", Map.of("archive", Map.of("file_ref", 1.0), "egress", true)),
                bundle("application/octet-stream"));
        engine(1024).send(send(m), new Caller("alice"), null).get(5, TimeUnit.SECONDS);

        assertEquals(List.of("ctx-1 application/octet-stream repo.bundle"), stagedFor);
        assertArrayEquals(BUNDLE, stagedBytes.get(0));
        TaskCommand.StartTask start = (TaskCommand.StartTask) requested.get(0);
        assertEquals(new TaskWorkspace(new TaskWorkspace.Archive(WorkspaceExtension.BUNDLE_MEDIA_TYPE, "repo.bundle",
                "ab12", BUNDLE.length), null, true), start.workspace());
        Part.File inCommand = (Part.File) start.message().parts().get(1);
        assertNull(inCommand.bytesBase64(), "no archive bytes on Kafka");
        assertEquals(WorkspaceExtension.STAGED_ARCHIVE_URI_PREFIX + "ab12", inCommand.uri());
        Message logged = ((TaskEvent.StatusChanged) appended.get(0)).accepted();
        assertEquals(inCommand, logged.parts().get(1), "the task's history holds the staged reference too");
    }

    @Test
    void aBundlePartWithoutMetadataIsTheWorkspace() throws Exception {
        engine(1024).send(send(message(null, Map.of(), bundle(WorkspaceExtension.BUNDLE_MEDIA_TYPE))),
                new Caller("alice"), null).get(5, TimeUnit.SECONDS);
        TaskCommand.StartTask start = (TaskCommand.StartTask) requested.get(0);
        assertTrue(start.workspace().source() instanceof TaskWorkspace.Archive a && a.stagedId().equals("ab12"),
                String.valueOf(start.workspace()));
    }

    @Test
    void anArchiveOverTheCapIsRefusedBeforeAnythingHappens() {
        A2AException e = assertThrows(A2AException.class, () -> engine(8).send(send(message(null, Map.of(),
                bundle(WorkspaceExtension.BUNDLE_MEDIA_TYPE))), new Caller("alice"), null));
        assertEquals(A2AError.PAYLOAD_TOO_LARGE, e.error());
        assertTrue(e.getMessage().contains(BUNDLE.length + " bytes; the limit is 8 bytes ("
                + WorkspaceUploads.MAX_KEY + ")"), e.getMessage());
        assertTrue(stagedFor.isEmpty() && appended.isEmpty() && requested.isEmpty());
    }

    @Test
    void archivesOffAndArchivesOnAFollowUpAreClearRefusals() {
        A2AException off = assertThrows(A2AException.class, () -> engine(0).send(send(message(null, Map.of(),
                bundle(WorkspaceExtension.BUNDLE_MEDIA_TYPE))), new Caller("alice"), null));
        assertTrue(off.getMessage().contains("accepts none (" + WorkspaceUploads.MAX_KEY + "=0)"), off.getMessage());
        A2AException followUp = assertThrows(A2AException.class, () -> engine(1024).send(send(message("t-9", Map.of(),
                bundle(WorkspaceExtension.BUNDLE_MEDIA_TYPE))), new Caller("alice"), null));
        assertEquals(A2AError.INVALID_PARAMS, followUp.error());
        assertTrue(followUp.getMessage().contains("an archive starts a new task"), followUp.getMessage());
        assertTrue(stagedFor.isEmpty() && appended.isEmpty());
    }

    @Test
    void whenToolsServiceRefusesTheArchiveNoTaskIsLogged() {
        answer = CompletableFuture.failedFuture(A2AException.invalidParams("the workspace archive was refused: "
                + "not a git bundle or gzip archive"));
        var sent = engine(1024).send(send(message(null, Map.of(), bundle(WorkspaceExtension.GZIP_MEDIA_TYPE))),
                new Caller("alice"), null);
        ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("not a git bundle"), e.getCause().getMessage());
        assertTrue(appended.isEmpty() && requested.isEmpty());
    }
}
