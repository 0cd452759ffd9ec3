package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.session.SessionIndex;

/**
 * The real actions answer on the UI thread through {@link TuiUpdates}: a failure that has no answer of its own (a
 * cancel, recording the session) shows as an error note in the conversation.
 */
class GatewayActionsTest {
    private final TuiState state = new TuiState();
    private final TuiUpdates updates = new TuiUpdates(state, new RecordingActions(), Path.of("."));
    private final LinkedBlockingQueue<Runnable> uiThread = new LinkedBlockingQueue<>();

    @TempDir
    Path dir;

    /** A gateway address on loopback where nothing listens. */
    private static URI nothingListening() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
    }

    private GatewayActions actions(SessionIndex index) throws Exception {
        return new GatewayActions(new A2aClient(nothingListening(), null), uiThread::add, updates, index,
                dir.toString(), "http://127.0.0.1/", new CompletableFuture<>());
    }

    /** Runs the next answer posted to the UI thread, and answers the conversation's last entry. */
    private Entry.Note nextNote() throws Exception {
        Runnable answer = uiThread.poll(20, TimeUnit.SECONDS);
        assertNotNull(answer, "no answer was posted to the UI thread");
        answer.run();
        return (Entry.Note) state.entries().get(state.entries().size() - 1);
    }

    @Test
    void aCancelThatCannotReachTheGatewayIsAnErrorNote() throws Exception {
        actions(new SessionIndex(dir.resolve("sessions.json"))).cancel("task-1");
        Entry.Note note = nextNote();
        assertEquals(new Entry.Note("cancel failed: cannot reach the gateway", true), note);
    }

    @Test
    void aSessionThatCannotBeRecordedIsAnErrorNote() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        actions(new SessionIndex(notADirectory.resolve("sessions.json"))).remember("ctx-1", "hello", null, "task-1");
        Entry.Note note = nextNote();
        assertTrue(note.error(), note.toString());
        assertTrue(note.text().startsWith("could not record the session: "), note.toString());
    }
}
