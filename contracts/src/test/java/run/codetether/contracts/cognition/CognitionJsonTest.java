package run.codetether.contracts.cognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.ContractJson;

class CognitionJsonTest {

    @Test
    void recordsUseSnakeCaseFieldsAndEnums() {
        var event = new ThoughtEvent("e1", ThoughtEventType.SNAPSHOT_COMPRESSED, "p1", null,
                Instant.parse("2026-01-02T03:04:05Z"), Map.of("phase", "compress"));
        String json = new String(ContractJson.write(event), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"event_type\":\"snapshot_compressed\""), json);
        assertTrue(json.contains("\"persona_id\":\"p1\""), json);
        assertTrue(json.contains("\"timestamp\":\"2026-01-02T03:04:05Z\""), json);
        assertEquals(event, ContractJson.read(json.getBytes(StandardCharsets.UTF_8), ThoughtEvent.class));
    }

    @Test
    void createPersonaRequestReadsSnakeCaseAndRequiresName() {
        var req = ContractJson.read("""
                {"persona_id":"a","name":"n","role":"r","charter":"c","parent_id":"root",
                 "policy":{"max_spawn_depth":2,"max_branching_factor":3,"token_credits_per_minute":1,
                 "cpu_credits_per_minute":1,"idle_ttl_secs":5,"share_memory":true}}
                """.getBytes(StandardCharsets.UTF_8), CreatePersonaRequest.class);
        assertEquals("root", req.parentId());
        assertEquals(3, req.policy().maxBranchingFactor());
        assertTrue(req.policy().shareMemory());
        var error = assertThrows(ContractJson.ContractException.class, () -> ContractJson.read(
                "{\"role\":\"r\",\"charter\":\"c\"}".getBytes(StandardCharsets.UTF_8), CreatePersonaRequest.class));
        assertTrue(error.getMessage().contains("name is required"), error.getMessage());
    }

    @Test
    void unknownEnumValueIsRejectedWithTheValidNames() {
        var error = assertThrows(IllegalArgumentException.class, () -> PersonaStatus.parse("sleeping"));
        assertTrue(error.getMessage().contains("reaped"));
    }

    @Test
    void commandsAndRecordsRoundTripThroughTheirSealedTypes() {
        CognitionCommand cmd = new CognitionCommand.ReapPersona("r1", "p1", new ReapPersonaRequest(true, "x"), null);
        var back = ContractJson.read(ContractJson.write(cmd), CognitionCommand.class);
        assertEquals(cmd, back);
        CognitionRecord reply = new CognitionRecord.Reply("r1", 404, "persona not found: p1", null, null, null);
        assertInstanceOf(CognitionRecord.Reply.class, ContractJson.read(ContractJson.write(reply), CognitionRecord.class));
    }

    @Test
    void aViewCarriesHowManyProposalsWereDroppedAndAnOlderViewReadsAsNone() {
        var status = new CognitionStatus(true, true, 2000, null, null, 0, 0, 0, 0);
        var view = new CognitionRecord.View(status, null, null, null, "swarm-1", Instant.parse("2026-01-02T03:04:05Z"),
                17);
        String json = new String(ContractJson.write(view), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"proposals_dropped\":17"), json);
        assertEquals(view, ContractJson.read(json.getBytes(StandardCharsets.UTF_8), CognitionRecord.class));
        // a View published before the bound existed has no such field
        String older = json.replace(",\"proposals_dropped\":17", "");
        var read = (CognitionRecord.View) ContractJson.read(older.getBytes(StandardCharsets.UTF_8),
                CognitionRecord.class);
        assertEquals(0, read.proposalsDropped(), older);
        assertEquals("swarm-1", read.owner());
    }
}
