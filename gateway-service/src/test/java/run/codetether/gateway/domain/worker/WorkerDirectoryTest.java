package run.codetether.gateway.domain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.worker.WorkerRegistration;

class WorkerDirectoryTest {

    private static WorkerRegistration reg(String owner, String name, String replica, long epoch, String... codebases) {
        return new WorkerRegistration(WorkerDirectory.workerId(owner, name), name, owner, "i", "safe",
                java.util.Arrays.stream(codebases).map(c -> new WorkerRegistration.Codebase(
                        WorkerDirectory.codebaseId(owner, c), c, "h", "", "")).toList(), List.of(), replica, epoch,
                Instant.now(), "v");
    }

    @Test
    void aSecondWorkerOfTheSameOwnerCannotTakeACodebaseNameButARestartCan() {
        WorkerDirectory d = new WorkerDirectory("r1");
        d.attach(reg("alice", "laptop", "r1", 1, "app"), call -> true);
        assertTrue(d.conflict("alice", "desktop", List.of("app")).orElseThrow().contains("laptop"));
        assertTrue(d.conflict("alice", "laptop", List.of("app")).isEmpty(), "a restart of the same worker");
        assertTrue(d.conflict("bob", "desktop", List.of("app")).isEmpty(), "another owner's names are apart");
    }

    @Test
    void codebasesResolveOnlyForTheirOwnerByNameOrId() {
        WorkerDirectory d = new WorkerDirectory("r1");
        d.apply(WorkerDirectory.workerId("alice", "laptop"), reg("alice", "laptop", "r2", 1, "app"));
        String id = WorkerDirectory.codebaseId("alice", "app");
        assertEquals(id, d.byCodebase("alice", "app").orElseThrow().codebase("app").orElseThrow().id());
        assertTrue(d.byCodebase("alice", id).isPresent());
        assertTrue(d.byCodebase("bob", id).isEmpty(), "another owner cannot use the id");
        assertFalse(d.deliverLocal(new run.codetether.contracts.worker.WorkerCallRequest("k",
                WorkerDirectory.workerId("alice", "laptop"), "app", "execute", "read_file", "{}", 1000, false, "a",
                null)), "held by another replica: not delivered here");
        d.apply(WorkerDirectory.workerId("alice", "laptop"), null);
        assertTrue(d.workers("alice").isEmpty());
    }
}
