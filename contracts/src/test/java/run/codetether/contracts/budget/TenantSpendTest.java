package run.codetether.contracts.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;

/** The per-replica cumulative spend record of {@value Topics#TENANTS_SPEND}. */
class TenantSpendTest {
    private static final LocalDate DAY = LocalDate.parse("2026-12-04");

    @Test
    void roundTripsWithCacheTokensAndAnUnpricedModelStaysUnpriced() {
        TenantSpend s = new TenantSpend("acme", DAY, "agent-1", 0.8549, 3, 1, 1_234_567, 45_678, 20_000, 4_000, 2,
                List.of(new TenantSpend.ModelSpend("moonshotai", "kimi-k2.5", 2, 1_234_000, 45_000, 20_000, 4_000, 0.8549, 1),
                        new TenantSpend.ModelSpend("local", "qwen", 1, 567, 678, 0, 0, null, 1)),
                Instant.parse("2026-12-04T10:00:00Z"));
        String json = new String(ContractJson.write(s), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"day\":\"2026-12-04\"") && json.contains("\"cacheReadTokens\":20000"), json);
        TenantSpend back = ContractJson.read(json.getBytes(StandardCharsets.UTF_8), TenantSpend.class);
        assertEquals(s, back);
        assertNull(back.models().get(1).costUsd(), "unpriced is null, never 0");
    }

    @Test
    void aRecordFromBeforeTheTaskCountReadsAsZeroTasks() {
        String old = "{\"tenant\":\"acme\",\"day\":\"2026-12-04\",\"replica\":\"agent-1\",\"costUsd\":1.5,"
                + "\"calls\":2,\"unpricedCalls\":0,\"tokensIn\":10,\"tokensOut\":5,\"cacheReadTokens\":0,"
                + "\"cacheWriteTokens\":0,\"models\":[{\"provider\":\"p\",\"model\":\"m\",\"calls\":2,"
                + "\"tokensIn\":10,\"tokensOut\":5,\"cacheReadTokens\":0,\"cacheWriteTokens\":0,\"costUsd\":1.5}],"
                + "\"updatedAt\":\"2026-12-04T10:00:00Z\"}";
        TenantSpend s = ContractJson.read(old.getBytes(StandardCharsets.UTF_8), TenantSpend.class);
        assertEquals(0, s.tasks());
        assertEquals(0, s.models().get(0).tasks());
        assertEquals(1.5, s.costUsd());
        assertEquals(2, s.calls());
    }

    @Test
    void keysAreDistinctPerTenantDayAndReplicaWhateverTheirCharacters() {
        assertEquals("acme/2026-12-04/agent-1", TenantSpend.key("acme", DAY, "agent-1"));
        assertNotEquals(TenantSpend.key("a/b", DAY, "c"), TenantSpend.key("a", DAY, "b/c"));
        assertNotEquals(TenantSpend.key("acme", DAY, "r"), TenantSpend.key("acme", DAY.plusDays(1), "r"));
    }

    @Test
    void refusesRecordsThatBreakTheContract() {
        assertThrows(IllegalArgumentException.class,
                () -> new TenantSpend(" ", DAY, "r", 0, 0, 0, 0, 0, 0, 0, 0, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new TenantSpend("t", null, "r", 0, 0, 0, 0, 0, 0, 0, 0, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new TenantSpend("t", DAY, "r", -0.01, 0, 0, 0, 0, 0, 0, 0, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new TenantSpend("t", DAY, "r", Double.NaN, 0, 0, 0, 0, 0, 0, 0, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new TenantSpend.ModelSpend("p", "m", 1, 0, 0, -1, 0, null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new TenantSpend("t", DAY, "r", 0, 0, 0, 0, 0, 0, 0, -1, null, null));
        assertTrue(Topics.all(3).stream().anyMatch(t -> t.name().equals(Topics.TENANTS_SPEND) && t.compacted()));
    }
}
