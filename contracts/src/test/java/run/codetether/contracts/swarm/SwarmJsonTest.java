package run.codetether.contracts.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.ContractJson;

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
                        "done", false, null)), 3, null, null, "me", 2, null);
        assertEquals(st, ContractJson.read(ContractJson.write(st), SwarmState.class));
    }
}
