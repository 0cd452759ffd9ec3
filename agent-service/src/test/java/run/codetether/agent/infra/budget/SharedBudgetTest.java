package run.codetether.agent.infra.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.platform.budget.CallSpend;
import run.codetether.platform.budget.TenantBudgets;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.model.Usage;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.domain.port.Workspaces;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.budget.KafkaSpendLedger;

/**
 * Two replicas' budget components (two ledgers with different replica ids) against one real in-process broker: a
 * tenant's spend on one is seen by the other, the sum stops a task, and a restarted replica recovers the day.
 */
class SharedBudgetTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    private static KafkaSpendLedger replica(String id) {
        return new KafkaSpendLedger(KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), id,
                Duration.ofMillis(50), Clock.systemUTC(), null).start(CATCH_UP);
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static void awaitSpend(double expected, DoubleSupplier spent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Math.abs(spent.getAsDouble() - expected) > 1e-9) {
            if (System.nanoTime() > deadline) {
                fail("spend " + spent.getAsDouble() + " never became " + expected);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void spendOnOneReplicaIsSeenByTheOtherAndTheSumIsExactAfterRepublication() throws Exception {
        String t = tenant();
        try (KafkaSpendLedger a = replica("a-" + t); KafkaSpendLedger b = replica("b-" + t)) {
            a.add(t, today(), new CallSpend("moonshotai", "kimi-k2.5", new Usage(1000, 10, 500, 0), 0.30));
            awaitSpend(0.30, () -> b.spent(t, today()));
            b.add(t, today(), CallSpend.ofCost(0.25));
            awaitSpend(0.55, () -> a.spent(t, today()));
            a.add(t, today(), CallSpend.ofCost(0.05));
            a.flush();
            a.flush(); // the same cumulative figure again changes nothing
            awaitSpend(0.60, () -> b.spent(t, today()));
            assertEquals(0.60, a.spent(t, today()), 1e-9);
            assertEquals(0, b.spent(t, today().minusDays(1)), "another day is another figure");
            assertEquals(0, b.spent(tenant(), today()), "another tenant is not charged");
        }
    }

    @Test
    void aTaskStopsOnceTheTenantsSpendOverEveryReplicaReachedTheBudget() throws Exception {
        String t = tenant();
        try (KafkaSpendLedger a = replica("a-" + t); KafkaSpendLedger b = replica("b-" + t)) {
            TenantBudgets onA = new TenantBudgets(Optional.empty(), Map.of(t, 0.50), Clock.systemUTC(), a);
            TenantBudgets onB = new TenantBudgets(Optional.empty(), Map.of(t, 0.50), Clock.systemUTC(), b);
            onA.add(t, 0.30);
            onB.add(t, 0.15);
            awaitSpend(0.45, () -> onB.spentToday(t));
            assertTrue(onB.refusal(t).isEmpty(), "under the budget on both replicas together");
            onA.add(t, 0.10); // A alone spent 0.40, B alone 0.15: only the sum, 0.55, reaches 0.50
            awaitSpend(0.55, () -> onB.spentToday(t));

            AgentLoop loop = new AgentLoop(h.settings(), h.providers(), h.toolClient, Workspaces.NONE,
                    WorkspaceSettings.defaults(), CallRouter.DISABLED, h.events, h.sessions, TaskMetrics.NONE,
                    List.of(), List.of(), onB);
            h.llm.enqueue(Reply.text("never asked"));
            h.run(loop, new TaskCommand.StartTask("task-" + t, "ctx-" + t, t, Commands.user("hi"), "moonshotai",
                    null, null, null, null, null, Map.of(), null));
            var last = h.finalOf("task-" + t);
            assertEquals(TaskState.FAILED, last.status().state());
            String msg = last.status().message().text();
            assertTrue(msg.contains("tenant '" + t + "' reached its daily budget of $0.50 (spent $0.5500"), msg);
            assertEquals(0, h.llm.requests().size(), "no model call once the replicas' sum reached the budget");
        }
    }

    @Test
    void aRestartedReplicaRecoversTheDayAndContinuesFromIt() throws Exception {
        String t = tenant();
        String id = "a-" + t;
        try (KafkaSpendLedger b = replica("b-" + t)) {
            try (KafkaSpendLedger a = replica(id)) {
                a.add(t, today(), CallSpend.ofCost(0.30));
                b.add(t, today(), CallSpend.ofCost(0.20));
                awaitSpend(0.50, () -> a.spent(t, today()));
            } // close publishes what is left
            try (KafkaSpendLedger again = replica(id)) {
                assertEquals(0.50, again.spent(t, today()), 1e-9, "no reset by a restart: its own 0.30 and b's 0.20");
                assertEquals(0.30, again.own().spent(t, today()), 1e-9);
                again.add(t, today(), CallSpend.ofCost(0.10));
                awaitSpend(0.60, () -> b.spent(t, today())); // continues from 0.30, never replaces it with 0.10
            }
            try (KafkaSpendLedger renamed = replica("c-" + t)) { // a new pod name: the old id counts as another replica
                assertEquals(0.60, renamed.spent(t, today()), 1e-9);
            }
        }
    }

    /**
     * The documented bound (docs/providers.md "Bound on overshoot"): reservations are per replica, so two replicas
     * that each see room for one more call both admit it; the tenant passes its budget by at most one call per
     * replica, and once the replicas read each other's figures, no replica admits another call.
     */
    @Test
    void reservationsArePerReplicaSoTheOvershootIsAtMostOneCallPerReplica() throws Exception {
        String t = tenant();
        try (KafkaSpendLedger a = replica("a-" + t); KafkaSpendLedger b = replica("b-" + t)) {
            TenantBudgets onA = new TenantBudgets(Optional.empty(), Map.of(t, 1.00), Clock.systemUTC(), a);
            TenantBudgets onB = new TenantBudgets(Optional.empty(), Map.of(t, 1.00), Clock.systemUTC(), b);
            onA.add(t, 0.70);
            awaitSpend(0.70, () -> onB.spentToday(t));
            // each replica sees $0.30 of room and admits a call of at most $0.40; its next call is refused there
            // (its spend plus its own reservation reached the budget), but the other replica does not see it
            TenantBudgets.Reservation ra = assertInstanceOf(TenantBudgets.Reservation.class, onA.admit(t, 0.40));
            assertInstanceOf(TenantBudgets.Refused.class, onA.admit(t, 0.40), "one replica's own calls are bounded");
            TenantBudgets.Reservation rb = assertInstanceOf(TenantBudgets.Reservation.class, onB.admit(t, 0.40));
            onA.settle(ra, CallSpend.ofCost(0.40));
            onB.settle(rb, CallSpend.ofCost(0.40));
            awaitSpend(1.50, () -> onA.spentToday(t));
            awaitSpend(1.50, () -> onB.spentToday(t));
            double overshoot = onA.spentToday(t) - 1.00;
            assertEquals(0.50, overshoot, 1e-9);
            assertTrue(overshoot <= 2 * 0.40 + 1e-9, "at most one call (its maximum cost) per replica: " + overshoot);
            assertInstanceOf(TenantBudgets.Refused.class, onA.admit(t, 0.01));
            assertInstanceOf(TenantBudgets.Refused.class, onB.admit(t, 0.01));
        }
    }

    @Test
    void aTenantWithABudgetIsRefusedWhileTheSharedSpendIsNotRead() {
        String t = tenant();
        try (KafkaSpendLedger notStarted = new KafkaSpendLedger(
                KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers()), "x-" + t, Duration.ofSeconds(1),
                Clock.systemUTC(), null)) {
            TenantBudgets budgets = new TenantBudgets(Optional.empty(), Map.of(t, 5.0), Clock.systemUTC(), notStarted);
            String why = budgets.refusal(t).orElseThrow();
            assertTrue(why.contains("today's spend is not known") && why.contains("tenants.spend"), why);
            assertTrue(budgets.refusal("no-budget-" + t).isEmpty(), "a tenant without a budget runs on");
        }
    }

    @Test
    void recordsOlderThanTheRetentionAreTombstonedWhoeverWroteThem() throws Exception {
        String t = tenant();
        KafkaClients kafka = KafkaClients.forBootstrap(SharedKafkaBroker.bootstrapServers());
        TenantSpend expired = new TenantSpend(t, today().minusDays(4), "gone-" + t, 1.0, 1, 0, 1, 1, 0, 0, 1,
                List.of(), null);
        TenantSpend kept = new TenantSpend(t, today().minusDays(3), "gone-" + t, 2.0, 1, 0, 1, 1, 0, 0, 1, List.of(),
                null);
        try (KafkaProducer<String, byte[]> p = kafka.producer("test-" + t, Map.of(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (TenantSpend s : List.of(expired, kept)) {
                p.send(new ProducerRecord<>(Topics.TENANTS_SPEND, s.key(), ContractJson.write(s))).get();
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new KafkaSpendLedger(kafka, "x", Duration.ZERO, 1,
                Clock.systemUTC(), null), "a retention under 2 days would delete the budget's own days");
        // a replica with another id (the writer is gone) deletes the day past its 3-day retention, keeps the other
        try (KafkaSpendLedger a = new KafkaSpendLedger(kafka, "a-" + t, Duration.ofMillis(50), 3, Clock.systemUTC(),
                null).start(CATCH_UP)) {
            Map<String, byte[]> latest = new HashMap<>();
            try (KafkaConsumer<String, byte[]> c = SpendTopic.fromStart(kafka, "test-read-" + t)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!(latest.containsKey(expired.key()) && latest.get(expired.key()) == null)) {
                    if (System.nanoTime() > deadline) {
                        fail("no tombstone for " + expired.key());
                    }
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        latest.put(r.key(), r.value());
                    }
                }
            }
            assertTrue(latest.get(kept.key()) != null, "a day within the retention is kept");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (a.sweep() != 0) { // a tombstone read back forgets the key: nothing left to delete
                if (System.nanoTime() > deadline) {
                    fail("the ledger never forgot the deleted key " + expired.key());
                }
                Thread.sleep(100);
            }
        }
    }
}
