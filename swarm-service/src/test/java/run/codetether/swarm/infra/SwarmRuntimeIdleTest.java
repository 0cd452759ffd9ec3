package run.codetether.swarm.infra;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmStrategy;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.KafkaBrokerExtension;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.swarm.infra.kafka.KafkaSwarmRuntime;
import run.codetether.swarm.testing.ScriptedOpenAiServer;

/**
 * Issue 18: a swarm-service that runs no swarm asked the broker about twice a second (its commands reader, Kafka's
 * 500 ms hold of an empty fetch). Against the real broker: idle, the runtime's readers (commands, swarm state, task
 * events, end probe) fetch about once per held fetch at most, and a swarm's start still reaches the coordinator at
 * once: the command answers the held fetch.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SwarmRuntimeIdleTest {
    /** The broker's hold of an idle rare reader's fetch: long enough that a wait for it shows. */
    private static final Duration HOLD = Duration.ofSeconds(8);

    @Test
    void anIdleRuntimeFetchesSeldomAndAStartStillArrivesAtOnce(EmbeddedKafkaBroker broker) throws Exception {
        String instance = "idle" + UUID.randomUUID().toString().substring(0, 8);
        KafkaClients clients = new KafkaClients(KafkaSettings.of(broker.bootstrapServers()), HOLD);
        try (ScriptedOpenAiServer llm = new ScriptedOpenAiServer(request -> KafkaSwarmRuntimeTest.PLAN);
                KafkaSwarmRuntime runtime = SwarmKafkaHarness.runtime(clients, "g-" + UUID.randomUUID(), instance,
                        llm.baseUrl());
                var producer = SwarmKafkaHarness.producer(broker.bootstrapServers())) {
            awaitSettled(instance);
            double before = fetches(instance);
            Thread.sleep(4_000);
            double idle = fetches(instance) - before;
            assertTrue(idle <= 2, "the idle runtime's readers fetched " + idle + " times in 4 s (hold "
                    + HOLD.toMillis() + " ms; a commands reader on Kafka's 500 ms makes about 8)");
            assertTrue(runtime.taskEventsPaused(), "no swarm: the task-event reader rests");

            String id = "swarm-" + UUID.randomUUID();
            long sent = System.nanoTime();
            SwarmKafkaHarness.send(producer, new SwarmCommand.StartSwarm(id, "task-" + id, "ctx-" + id, null,
                    "plan " + id, SwarmStrategy.STAGE, "local", null, 8, 0, null, null));
            long deadline = sent + HOLD.toNanos();
            while (llm.requests().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the start did not reach the coordinator within the hold");
                Thread.sleep(10);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(ms < 3_000, "a StartSwarm answers the held fetch at once; its plan was asked after " + ms
                    + " ms");
        }
    }

    /**
     * Until a second passes with no fetch response: the readers joined, caught up and wait in held fetches (a busy
     * machine's join may take seconds). Readers on Kafka's 500 ms never settle, so this fails for them too.
     */
    private static void awaitSettled(String instance) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        double last = fetches(instance);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            double now = fetches(instance);
            if (now == last && now > 0) {
                return;
            }
            last = now;
        }
        throw new AssertionError("the runtime's readers kept fetching (or never fetched) for 30 s: " + last);
    }

    /**
     * Fetch responses of the runtime's following readers (client ids {@code swarm-<role>-<instance>-*}). The one-off
     * reads of saved swarms at an assignment are left out: each is closed when read, and its count goes with it.
     */
    private static double fetches(String instance) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        double sum = 0;
        for (String role : List.of("commands", "state", "events", "probe")) {
            for (ObjectName n : jmx.queryNames(new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,"
                    + "client-id=swarm-" + role + "-" + instance + "-*"), null)) {
                sum += ((Number) jmx.getAttribute(n, "fetch-total")).doubleValue();
            }
        }
        return sum;
    }
}
