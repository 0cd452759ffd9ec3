package run.codetether.contracts.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Usage;

class SwarmJsonTest {

    @Test
    void startSwarmRoundTripsWithLowercaseStrategy() {
        SwarmCommand cmd = new SwarmCommand.StartSwarm("s1", "t1", "c1", null, "build it", SwarmStrategy.STAGE,
                "local", null, 4, 0, null, null);
        String json = new String(ContractJson.write(cmd), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"strategy\":\"stage\""), json);
        assertTrue(json.contains("\"type\":\"start_swarm\""), json);
        assertEquals(cmd, ContractJson.read(json.getBytes(StandardCharsets.UTF_8), SwarmCommand.class));
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SwarmStrategy.parse("random"));
        assertThrows(IllegalArgumentException.class, () -> new SwarmCommand.StartSwarm("s", "t", "c", null, "g",
                null, null, null, 999, 0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new SwarmCommand.StartSwarm("s", "t", "c", null, " ",
                null, null, null, 1, 0, null, null));
    }

    @Test
    void stateRoundTrips() {
        var cmd = new SwarmCommand.StartSwarm("s1", "t1", "c1", null, "g", null, null, null, 0, 0, null, null);
        var st = new SwarmState(cmd, SwarmPhase.RUNNING,
                List.of(new SubtaskState("a", "A", "do a", 0, List.of(), "h", SubtaskStatus.COMPLETED, "t-a", 1,
                        "done", false, null, new Usage(1200, 300, 50, 0, 0.0125, true))), 3, null, null, "me", 2,
                null, new Usage(10, 2, 0, 0, null, false));
        assertEquals(st, ContractJson.read(ContractJson.write(st), SwarmState.class));
    }

    @Test
    void aSubtaskSavedBeforeUsageWasKeptReadsWithoutUsageAndAddsAttempts() {
        String old = """
                {"id":"a","title":"A","instruction":"do a","stage":0,"dependsOn":[],"contentHash":"h",
                 "status":"completed","taskId":"t-a","attempts":1,"result":"done","cached":false}""";
        SubtaskState read = ContractJson.read(old.getBytes(StandardCharsets.UTF_8), SubtaskState.class);
        assertNull(read.usage());
        SubtaskState twice = read.spent(new Usage(10, 5, 0, 0, 0.5, true)).spent(null)
                .spent(new Usage(1, 1, 0, 0, null, false));
        assertEquals(new Usage(11, 6, 0, 0, null, false), twice.usage(), "an unpriced attempt makes the sum unpriced");
        assertEquals(twice.usage(), twice.withStatus(SubtaskStatus.PENDING, "retry").dispatched("t-b", "h",
                java.time.Instant.EPOCH).usage(), "a retry keeps what earlier attempts spent");
    }
}
