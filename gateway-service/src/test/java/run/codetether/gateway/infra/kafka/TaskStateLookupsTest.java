package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;

/**
 * The lookups are awaited by a start for up to its catch-up timeout; nothing else may wait behind that await (it
 * held the object's monitor, so a {@link TaskStateLookups#close} from another thread waited for the whole lookup).
 */
class TaskStateLookupsTest {

    @Test
    void closingWhileAStartAwaitsTheLookupsDoesNotWaitForThem() throws Exception {
        // a broker that takes connections (the kernel's backlog) and never answers: the lookups run to their timeout
        // and then wait the outage out for the clients' budget (2 s here)
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            KafkaClients kafka = new KafkaClients(KafkaSettings.of("127.0.0.1:" + silent.getLocalPort()),
                    KafkaClients.DEFAULT_RARE_FETCH_WAIT, KafkaClients.DEFAULT_COMMIT_INTERVAL, Duration.ofSeconds(2));
            TaskStateLookups lookups = TaskStateLookups.begin(kafka, "lookups-test", Duration.ofSeconds(4));
            CompletableFuture<Throwable> awaited = new CompletableFuture<>();
            Thread start = Thread.ofPlatform().start(() -> {
                try {
                    lookups.await(Duration.ofSeconds(4));
                    awaited.complete(null);
                } catch (Throwable t) {
                    awaited.complete(t);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (start.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(start.getState() == Thread.State.TIMED_WAITING, "the start awaits the lookups");

            assertTimeoutPreemptively(Duration.ofSeconds(2), lookups::close,
                    "close returns while the start still awaits the lookups");

            Throwable failed = awaited.get(30, TimeUnit.SECONDS);
            assertInstanceOf(RuntimeException.class, failed, "the start fails loudly: " + failed);
        }
    }
}
