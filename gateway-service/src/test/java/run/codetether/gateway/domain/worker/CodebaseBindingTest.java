package run.codetether.gateway.domain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.worker.WorkerRegistration;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.SendRequest;

/**
 * A task on a worker's codebase runs with the stricter of its own access mode and the worker's --auto-approve; one
 * naming a codebase no worker serves is refused, retryably while the registry is still being read.
 */
class CodebaseBindingTest {

    private static CodebaseBinding binding(String autoApprove) {
        WorkerDirectory d = new WorkerDirectory("r1");
        d.apply(WorkerDirectory.workerId("alice", "laptop"), new WorkerRegistration(
                WorkerDirectory.workerId("alice", "laptop"), "laptop", "alice", "i", autoApprove,
                List.of(new WorkerRegistration.Codebase(WorkerDirectory.codebaseId("alice", "app"), "app", "h", "",
                        "")), List.of(), "r1", 1, Instant.now(), "v"));
        return new CodebaseBinding(d);
    }

    private static Map<String, Object> bound(CodebaseBinding b, String accessMode) {
        Map<String, Object> md = new HashMap<>(Map.of("workspace", Map.of("codebase", "app")));
        if (accessMode != null) {
            md.put("access_mode", accessMode);
        }
        Message m = new Message("m1", Role.USER, List.of(Part.Text.of("hi")), null, null, null, null, null);
        return b.bind(new SendRequest(m, null, null, true, List.of(), null, md), new Caller("alice")).metadata();
    }

    @Test
    void theWorkersAutoApproveIsTheDefaultAndNoTaskCanLoosenIt() {
        assertEquals("approve", bound(binding("safe"), null).get("access_mode"));
        assertEquals("full", bound(binding("all"), null).get("access_mode"));
        assertEquals("ask", bound(binding("none"), null).get("access_mode"));
        assertEquals("approve", bound(binding("safe"), "full").get("access_mode"), "a task cannot loosen the worker's");
        assertEquals("ask", bound(binding("all"), "ask").get("access_mode"), "a task may be stricter");
        assertEquals("ask", bound(binding("none"), "full").get("access_mode"));
        assertEquals(Map.of("codebase", WorkerDirectory.codebaseId("alice", "app")), bound(binding("all"), null)
                .get("workspace"));
    }

    @Test
    void anUnknownCodebaseIsRetryableWhileTheRegistryIsReadThenInvalidParams() {
        WorkerDirectory d = new WorkerDirectory("r1");
        d.reading("the worker registry is being read");
        CodebaseBinding b = new CodebaseBinding(d);
        // the worker may be another replica's, not read yet: not a final "no such codebase"
        A2AException early = assertThrows(A2AException.class, () -> bound(b, null));
        assertEquals(A2AError.UNAVAILABLE, early.error());
        assertEquals(1, early.retryAfterSeconds());
        assertTrue(early.getMessage().contains("the worker registry is being read")
                && early.getMessage().contains("codebase 'app'"), early.getMessage());
        d.read();
        A2AException later = assertThrows(A2AException.class, () -> bound(b, null));
        assertEquals(A2AError.INVALID_PARAMS, later.error());
        assertTrue(later.getMessage().contains("no connected worker of yours serves codebase 'app'"),
                later.getMessage());
    }

    @Test
    void aMalformedAccessModeIsInvalidParams() {
        A2AException e = assertThrows(A2AException.class, () -> bound(binding("all"), "yolo"));
        assertTrue(e.getMessage().contains("access_mode must be one of full, approve, ask"), e.getMessage());
    }
}
