package run.codetether.agent.domain.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import run.codetether.platform.budget.DailySpend.TenantDay;
import run.codetether.agent.domain.model.Usage;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.DailySpend;

/** One replica's per-day figures: cache tokens apart, a per-model split, unpriced calls, restore after a restart. */
class DailySpendTest {
    private static final LocalDate DAY = LocalDate.parse("2026-12-04");
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void aDaysFigureKeepsCacheTokensApartAndSplitsByModel() {
        DailySpend d = new DailySpend();
        d.add("acme", DAY, new CallSpend("anthropic", "claude", new Usage(100, 20, 5_000, 700), 0.25, "t1"));
        d.add("acme", DAY, new CallSpend("anthropic", "claude", new Usage(50, 10, 5_000, 0), 0.05, "t1"));
        d.add("acme", DAY, new CallSpend("local", "qwen", new Usage(10, 1, 0, 0), null, "t2"));
        TenantSpend s = d.snapshot(new TenantDay("acme", DAY), "r1", NOW).orElseThrow();
        assertEquals(0.30, s.costUsd(), 1e-12);
        assertEquals(3, s.calls());
        assertEquals(1, s.unpricedCalls());
        assertEquals(160, s.tokensIn());
        assertEquals(31, s.tokensOut());
        assertEquals(10_000, s.cacheReadTokens());
        assertEquals(700, s.cacheWriteTokens());
        assertEquals(2, s.tasks(), "distinct tasks, not calls");
        assertEquals(2, s.models().size());
        assertEquals(1, s.models().get(0).tasks());
        assertEquals(1, s.models().get(1).tasks());
        TenantSpend.ModelSpend claude = s.models().get(0);
        assertEquals(2, claude.calls());
        assertEquals(10_000, claude.cacheReadTokens());
        assertEquals(0.30, claude.costUsd(), 1e-12);
        assertNull(s.models().get(1).costUsd(), "an unpriced model's cost is unknown, not 0");
        assertEquals(0.30, d.spent("acme", DAY), 1e-12);
        assertEquals(0, d.spent("acme", DAY.plusDays(1)));
    }

    @Test
    void aRestoredFigureIsTheBaseNewCallsAddToAndOldDaysAreForgotten() {
        DailySpend before = new DailySpend();
        before.add("acme", DAY, new CallSpend("p", "m", new Usage(1, 1, 1, 1), 1.0, "t1"));
        TenantSpend published = before.snapshot(new TenantDay("acme", DAY), "r1", NOW).orElseThrow();

        DailySpend after = new DailySpend();
        after.add("acme", DAY, new CallSpend("p", "m", new Usage(1, 1, 1, 1), 0.5, "t2")); // ran before the topic was read
        after.restore(published);
        TenantSpend next = after.snapshot(new TenantDay("acme", DAY), "r1", NOW).orElseThrow();
        assertEquals(1.5, next.costUsd(), 1e-12);
        assertEquals(2, next.calls());
        assertEquals(2, next.tasks(), "the restored record's task plus this process's");
        assertEquals(2, next.models().get(0).tasks());
        assertEquals(2, next.models().get(0).cacheReadTokens());

        after.add("acme", DAY.plusDays(2), CallSpend.ofCost(0.1));
        assertTrue(after.keys().stream().noneMatch(k -> k.day().equals(DAY)), "days before yesterday are dropped");
    }
}
