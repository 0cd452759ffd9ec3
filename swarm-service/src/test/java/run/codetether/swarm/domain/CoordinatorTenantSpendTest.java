package run.codetether.swarm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.Usage;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmPhase;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.DailySpend;
import run.codetether.platform.budget.KafkaSpendLedger;
import run.codetether.platform.budget.MaxCost;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.swarm.infra.llm.OpenAiCompatChat;
import run.codetether.swarm.infra.llm.SwarmProviders;

/**
 * The swarm coordinator's own model calls (plan, written answer) in the tenant's daily spend, against the scripted
 * OpenAI server and the real (in-process) broker: each coordinator instance publishes its calls on
 * {@code tenants.spend} as one more replica, an agent replica's ledger (what budgets and {@code GET /v1/stats} sum)
 * sees them exactly once, also when a successor took the swarm over, and a tenant whose budget is spent stops the
 * swarm before the coordinator's next call.
 */
class CoordinatorTenantSpendTest {
    static final double IN = 2.0;
    static final double OUT = 8.0;
    static final ModelCatalog PRICED = new ModelCatalog("test-1", List.of(), List.of(new ModelCatalog.Model("local",
            "agg-model", 128_000, 4_096, true, new ModelCatalog.Price(IN, OUT, 0.5, null), false)));
    static final String PLAN = """
            {"subtasks":[{"id":"a","title":"Parser","instruction":"port the parser","depends_on":[]},
            {"id":"b","title":"Tests","instruction":"port the tests","depends_on":[]}]}""";

    final ScriptedLlmServer llm = ScriptedLlmServer.start();
    final ChatPort chat = new OpenAiCompatChat(SwarmProviders.local(llm.openAiBaseUrl(), "agg-model"),
            Duration.ofSeconds(10), PRICED);
    final RecordingOutbox outbox = new RecordingOutbox();
    final String tenant = "t-" + UUID.randomUUID();
    final List<KafkaSpendLedger> ledgers = new ArrayList<>();

    @AfterEach
    void stop() {
        ledgers.forEach(KafkaSpendLedger::close);
        llm.close();
    }

    KafkaSpendLedger replica(String id) {
        KafkaSpendLedger l = new KafkaSpendLedger(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()),
                id + "-" + tenant, Duration.ofMillis(50), Clock.systemUTC(), null).start(Duration.ofSeconds(30));
        ledgers.add(l);
        return l;
    }

    SwarmCoordinator coordinator(String id, TenantBudgets budgets, Executor executor) {
        return new SwarmCoordinator(id, new LlmDecomposer(chat), new ResultValidator(1, null),
                new InMemoryResultCache(10), new ProviderRateLimiter(1000, 1000, System::nanoTime), outbox,
                new SwarmSettings(8, 100, 0), Clock.systemUTC(), new LlmAggregator(chat), executor, budgets);
    }

    SwarmCommand.StartSwarm start() {
        return new SwarmCommand.StartSwarm("sw-" + tenant, "task-sw-" + tenant, "ctx", tenant, "port the module",
                SwarmStrategy.AUTO, "moonshotai", "kimi-k2", 0, 0, null, null);
    }

    void completeAll(SwarmCoordinator c) {
        for (TaskCommand.StartTask t : List.copyOf(outbox.dispatched)) {
            c.onTaskEvent(RecordingOutbox.done(t, TaskState.COMPLETED, "result of " + t.subtask().subtaskId()));
        }
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    static double cost(long in, long out) {
        return (in * IN + out * OUT) / 1e6;
    }

    TenantSpend published(KafkaSpendLedger l) {
        return l.own().snapshot(new DailySpend.TenantDay(tenant, today()), "x", Instant.now()).orElseThrow();
    }

    static void awaitSpend(double expected, DoubleSupplier spent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Math.abs(spent.getAsDouble() - expected) > 1e-12) {
            if (System.nanoTime() > deadline) {
                fail("spend " + spent.getAsDouble() + " never became " + expected);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theCoordinatorsCallsAreInTheTenantsSpendOnceAlsoAfterATakeover() throws Exception {
        KafkaSpendLedger agent = replica("agent");
        KafkaSpendLedger first = replica("swarm-c1");
        KafkaSpendLedger second = replica("swarm-c2");
        llm.enqueue(Reply.text(PLAN).withUsage(1_000, 200));
        llm.enqueue(Reply.text("MERGED").withUsage(500, 100));

        List<Runnable> pending = new ArrayList<>();
        SwarmCoordinator c1 = coordinator("c1", new TenantBudgets(Optional.empty(), Map.of(), Clock.systemUTC(),
                first), pending::add);
        c1.start(start());
        pending.remove(0).run(); // the plan, on c1
        completeAll(c1);
        assertEquals(1, pending.size(), "the answer would be written next on c1");
        c1.release(java.util.Set.of(start().swarmId())); // c1 is gone before it wrote the answer
        var saved = outbox.last();
        assertEquals(SwarmPhase.RUNNING, saved.phase());

        SwarmCoordinator c2 = coordinator("c2", new TenantBudgets(Optional.empty(), Map.of(), Clock.systemUTC(),
                second), Runnable::run);
        c2.resume(saved); // the successor writes the answer
        assertEquals(TaskState.COMPLETED, outbox.finalStatus().status().state());
        assertEquals("MERGED", outbox.finalStatus().status().message().text());
        Usage swarm = outbox.last().coordinatorUsage();
        assertEquals(new Usage(1_500, 300, 0, 0, cost(1_000, 200) + cost(500, 100), true), swarm,
                "the swarm's own figure: plan (c1) and answer (c2)");

        // each instance publishes the calls it made, so the sum over replicas is the swarm's figure, once
        TenantSpend byC1 = published(first);
        TenantSpend byC2 = published(second);
        assertEquals(List.of(1_000L, 200L, 1L), List.of(byC1.tokensIn(), byC1.tokensOut(), byC1.calls()));
        assertEquals(List.of(500L, 100L, 1L), List.of(byC2.tokensIn(), byC2.tokensOut(), byC2.calls()));
        assertEquals("local/agg-model", byC1.models().get(0).provider() + "/" + byC1.models().get(0).model());
        assertEquals(1, byC1.tasks(), "the swarm's task is the day's task");
        assertEquals(0, byC2.tasks(), "counted once: on the instance of its first call, not again by its successor");
        awaitSpend(swarm.costUsd(), () -> agent.spent(tenant, today()));
        assertEquals(swarm.costUsd(), agent.spent(tenant, today()), 1e-12,
                "an agent replica (budgets) and the stats sum it exactly once");
        assertEquals(2, llm.requests().size(), "two model calls in all");
    }

    @Test
    void aSpentBudgetStopsTheSwarmBeforeTheCoordinatorsNextCall() throws Exception {
        KafkaSpendLedger agent = replica("agent");
        KafkaSpendLedger mine = replica("swarm-c1");
        double limit = cost(1_000, 200) + 0.0005; // the plan fits, nothing after it
        TenantBudgets budgets = new TenantBudgets(Optional.empty(), Map.of(tenant, limit), Clock.systemUTC(), mine);
        llm.enqueue(Reply.text(PLAN).withUsage(1_000, 200));
        SwarmCoordinator c = coordinator("c1", budgets, Runnable::run);
        c.start(start());
        assertEquals(2, outbox.dispatched.size(), "planned under the budget");

        agent.add(tenant, today(), new CallSpend("moonshotai", "kimi-k2", null, 0.001, "a-sub-agent"));
        awaitSpend(cost(1_000, 200) + 0.001, () -> budgets.spentToday(tenant));
        completeAll(c);

        var fin = outbox.finalStatus();
        assertEquals(TaskState.FAILED, fin.status().state(), "stopped like an agent task");
        String why = fin.status().message().text();
        assertTrue(why.contains("tenant '" + tenant + "' reached its daily budget"), why);
        assertEquals(SwarmPhase.FAILED, outbox.last().phase());
        assertEquals(1, llm.requests().size(), "the answer was not asked of the model");

        // a new swarm of the tenant is refused before its plan
        outbox.reported.clear();
        c.start(new SwarmCommand.StartSwarm("sw2-" + tenant, "task-sw2-" + tenant, "ctx", tenant, "again",
                SwarmStrategy.AUTO, null, null, 0, 0, null, null));
        assertEquals(TaskState.FAILED, outbox.finalStatus().status().state());
        assertTrue(outbox.finalStatus().status().message().text().contains("reached its daily budget"));
        assertEquals(1, llm.requests().size(), "no plan asked either");
    }

    /**
     * Two swarms of one tenant plan at once on one instance: the first plan call holds its maximum cost (catalog
     * prices x prompt size + the model's max output) reserved while the model works, so the second swarm is refused
     * before its call: without the reservation both calls would run on a spend of $0 and pass the budget together.
     */
    @Test
    void parallelSwarmsOfATenantReserveEachCallsMaximumCostSoTheyCannotOvershootTogether() throws Exception {
        KafkaSpendLedger mine = replica("swarm-c1");
        double limit = 0.03; // under one plan call's reservation (its 4,096 output tokens alone: $0.0328)
        TenantBudgets budgets = new TenantBudgets(Optional.empty(), Map.of(tenant, limit), Clock.systemUTC(), mine);
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        llm.respondWith(r -> {
            sent.countDown();
            try {
                answer.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.text(PLAN).withUsage(1_000, 200);
        });
        List<Runnable> pending = new ArrayList<>();
        SwarmCoordinator c = coordinator("c1", budgets, pending::add);
        c.start(start());
        Thread first = Thread.ofVirtual().start(pending.remove(0)); // the first swarm's plan, held by the model
        assertTrue(sent.await(20, TimeUnit.SECONDS), "the first plan call reached the model");
        JsonNode held = llm.requests().get(0).body().path("messages");
        long promptChars = held.get(0).path("content").asText().length() + held.get(1).path("content").asText().length();
        ModelCatalog.Model m = PRICED.models().get(0);
        double reservation = MaxCost.usd(m.price(), m.contextWindow(), m.maxOutput(), promptChars);
        assertEquals(reservation, budgets.reservedNow(tenant), 1e-12, "the call's maximum cost is held while it runs");
        assertTrue(reservation > limit, "the reservation alone reaches the budget: " + reservation);

        var second = new SwarmCommand.StartSwarm("sw2-" + tenant, "task-sw2-" + tenant, "ctx", tenant, "again",
                SwarmStrategy.AUTO, null, null, 0, 0, null, null);
        c.start(second);
        pending.remove(0).run(); // the second swarm's plan, while the first one's call is in flight
        var refused = outbox.finalStatus();
        assertEquals("task-sw2-" + tenant, refused.taskId());
        assertEquals(TaskState.FAILED, refused.status().state());
        String why = refused.status().message().text();
        assertTrue(why.contains("reached its daily budget") && why.contains("reserved by its calls in flight"), why);
        assertEquals(1, llm.requests().size(), "the second plan was not asked of the model");

        answer.countDown();
        first.join(Duration.ofSeconds(20));
        assertEquals(2, outbox.dispatched.size(), "the first swarm planned and dispatched its two subtasks");
        assertEquals(0, budgets.reservedNow(tenant), 1e-12, "the answered call settled its reservation");
        assertEquals(cost(1_000, 200), budgets.spentToday(tenant), 1e-12, "and charged what it reported");
    }
}
