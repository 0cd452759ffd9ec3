package run.codetether.tools.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/**
 * Issue 19: tools-service marks a mutating call as started before it runs. A repeat of a call whose marker is there
 * but whose result is not (tools-service died while it ran: here the marker a killed process left is written by
 * the test) is answered {@code interrupted}, never run a second time; other calls are untouched.
 */
@QuarkusTest
class InterruptedCallGrpcTest {

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    private static void leaveMarkerOfAKilledRun(String session, String callId) throws Exception {
        Path dir = Path.of("target/test-workspaces/.codetether-state/.started", session).toAbsolutePath();
        Files.createDirectories(dir);
        String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(callId.getBytes(StandardCharsets.UTF_8))) + ".started";
        Files.writeString(dir.resolve(name), callId);
    }

    @Test
    void aMutatingCallCutOffByARestartIsAnsweredInterruptedAndNotRunAgain() throws Exception {
        GrpcCalls c = new GrpcCalls(stub);
        leaveMarkerOfAKilledRun(c.session, "call-killed");

        ExecuteResponse r = c.callWithId("call-killed", "write_file", GrpcCalls.json("path", "x.txt", "content", "1"));
        assertTrue(r.getInterrupted(), r.toString());
        assertFalse(r.getOk());
        assertTrue(r.getError().startsWith("INTERRUPTED: this call started before tools-service restarted"),
                r.getError());
        assertFalse(Files.exists(Path.of("target/test-workspaces", c.session, "x.txt")), "not run again");
        ExecuteResponse again = c.callWithId("call-killed", "write_file", GrpcCalls.json("path", "x.txt", "content", "1"));
        assertTrue(again.getInterrupted() && again.getReplayed(), "every repeat gets the same answer: " + again);

        ExecuteResponse fresh = c.callWithId("call-new", "write_file", GrpcCalls.json("path", "y.txt", "content", "2"));
        assertTrue(fresh.getOk() && !fresh.getInterrupted(), fresh.toString());
        ExecuteResponse replay = c.callWithId("call-new", "write_file", GrpcCalls.json("path", "y.txt", "content", "2"));
        assertTrue(replay.getOk() && replay.getReplayed() && !replay.getInterrupted(), "a finished call replays: " + replay);
    }
}
