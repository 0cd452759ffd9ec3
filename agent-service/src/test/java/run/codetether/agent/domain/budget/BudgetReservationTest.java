package run.codetether.agent.domain.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.Usage;
import run.codetether.agent.domain.provider.ModelInfo;
import run.codetether.contracts.models.ModelCatalog.Price;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.TenantBudgets;

/**
 * A budget is reserved, not only checked: a call reserves its maximum cost before it runs and settles to its reported
 * cost after, so calls one replica runs at once cannot together pass the budget by more than one call.
 */
class BudgetReservationTest {

    private static TenantBudgets budgets(double limit) {
        return new TenantBudgets(Optional.empty(), Map.of("acme", limit), Clock.systemUTC());
    }

    @Test
    void aReservationCountsUntilSettledOrReleased() {
        TenantBudgets b = budgets(1.00);
        var first = assertInstanceOf(TenantBudgets.Reservation.class, b.admit("acme", 0.60));
        var second = assertInstanceOf(TenantBudgets.Reservation.class, b.admit("acme", 0.60)); // 0.60 < 1.00
        assertEquals(1.20, b.reservedNow("acme"), 1e-12);
        var third = assertInstanceOf(TenantBudgets.Refused.class, b.admit("acme", 0.01));
        assertTrue(third.reason().contains("(spent $0.0000 today, UTC, and $1.2000 is reserved by its calls in flight)"),
                third.reason());

        b.settle(first, new CallSpend("p", "m", Usage.ZERO, 0.10)); // it cost less than its maximum
        b.release(second); // the call failed: nothing spent
        b.release(first); // settled already: nothing more released
        assertEquals(0, b.reservedNow("acme"), 1e-12);
        assertEquals(0.10, b.spentToday("acme"), 1e-12);
        assertInstanceOf(TenantBudgets.Reservation.class, b.admit("acme", 0.60));
        assertEquals(0, assertInstanceOf(TenantBudgets.Reservation.class, b.admit("other", 5.0)).usd(),
                "a tenant without a budget reserves nothing");
    }

    @Test
    void aCallThatReservesNothingNeverWaitsOnTheBudgetsMonitor() throws Exception {
        TenantBudgets b = budgets(1.00);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Double> unbudgeted;
            Future<?> budgeted;
            synchronized (b) { // another thread's admit/settle of a budgeted tenant holds it
                unbudgeted = other.submit(() -> {
                    var r = assertInstanceOf(TenantBudgets.Reservation.class, b.admit("other", 5.0));
                    b.settle(r, new CallSpend("p", "m", Usage.ZERO, 0.25));
                    b.release(r);
                    return b.refusal("other").isPresent() ? -1.0 : b.spentToday("other");
                });
                assertEquals(0.25, unbudgeted.get(10, java.util.concurrent.TimeUnit.SECONDS), 1e-12,
                        "a tenant without a budget is admitted and settled while the monitor is held");
                budgeted = other.submit(() -> b.admit("acme", 0.10));
                Thread.sleep(200);
                assertTrue(!budgeted.isDone(), "a budgeted tenant's admission is checked under the monitor");
            }
            assertInstanceOf(TenantBudgets.Reservation.class, budgeted.get(10, java.util.concurrent.TimeUnit.SECONDS));
            var unpriced = assertInstanceOf(TenantBudgets.Reservation.class, b.admit("acme", 0));
            synchronized (b) { // an unpriced call of a budgeted tenant reserved nothing: it settles without it
                other.submit(() -> b.settle(unpriced, new CallSpend("p", "m", Usage.ZERO, null)))
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(0.10, b.reservedNow("acme"), 1e-12);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void concurrentCallsOfOneReplicaOvershootByAtMostOneCall() throws Exception {
        double limit = 1.00;
        double max = 0.30;
        double actual = 0.25;
        TenantBudgets b = budgets(limit);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    while (b.admit("acme", max) instanceof TenantBudgets.Reservation r) {
                        calls.incrementAndGet();
                        Thread.sleep(2); // the call runs while the others ask
                        b.settle(r, new CallSpend("p", "m", Usage.ZERO, actual));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double spent = b.spentToday("acme");
        assertTrue(spent >= limit, "the budget was used: " + spent);
        assertTrue(spent <= limit + max + 1e-9, calls.get() + " calls spent $" + spent + ": more than one call over "
                + "(a check without reservation lets all 16 first calls through: $4.00)");
    }

    @Test
    void aCallsMaximumCostBoundsPromptAndOutputAtTheirPrices() {
        ModelInfo m = new ModelInfo("anthropic", "claude", 200_000, new Price(3.0, 15.0, 0.30, 3.75), 8_192);
        // 40,000 characters -> at most 20,000 tokens at the cache-write price $3.75, plus 8,192 output at $15
        assertEquals((20_000 * 3.75 + 8_192 * 15.0) / 1e6, m.maxCost(40_000), 1e-12);
        ModelInfo noMaxOutput = new ModelInfo("p", "m", 10_000, new Price(1.0, 2.0, null, null));
        assertEquals((10_000 * 1.0 + 0 * 2.0) / 1e6, noMaxOutput.maxCost(1_000_000), 1e-12, "capped at the window");
        assertEquals(0, new ModelInfo("p", "m", 10_000, null).maxCost(100), "unpriced: nothing to reserve");
    }
}
