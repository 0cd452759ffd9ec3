package run.codetether.gateway.infra.dashboard;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.net.LoopbackPorts;
import run.codetether.platform.kafka.KafkaClients;

/**
 * A timeline asked for while Kafka is away (issue 19): the dashboard's request is answered fast with a retryable
 * {@link KafkaTimelineReader.Unavailable} (a 503 with Retry-After), within {@link KafkaTimelineReader#FIRST_ANSWER}
 * and no matter the read's own 10 s timeout, for a broker that is down and for one that hangs.
 */
class KafkaTimelineReaderTest {

    @Test
    void aTimelineAskedWhileTheBrokerIsDownIsAnsweredFastWithARetry() throws Exception {
        assertUnavailableFast("127.0.0.1:" + LoopbackPorts.free()); // nothing listens there
    }

    @Test
    void aTimelineAskedWhileTheBrokerHangsIsAnsweredFastWithARetry() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!hung.isClosed()) {
                    try {
                        held.add(hung.accept()); // accepts, never answers: a SIGSTOPped broker
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            assertUnavailableFast("127.0.0.1:" + hung.getLocalPort());
            assertTrue(!held.isEmpty(), "the read reached the hung broker");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static void assertUnavailableFast(String bootstrap) {
        KafkaTimelineReader reader = new KafkaTimelineReader(KafkaClients.forBootstrap(bootstrap), "test", 1_000, 1,
                KafkaTimelineReader.DEFAULT_TIMEOUT);
        long began = System.nanoTime();
        KafkaTimelineReader.Unavailable e = assertThrows(KafkaTimelineReader.Unavailable.class,
                () -> reader.read("task-1", null));
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(e.getMessage().contains("retry in a moment"), e.getMessage());
        assertTrue(tookMs < KafkaTimelineReader.FIRST_ANSWER.plus(Duration.ofSeconds(2)).toMillis(),
                "answered after " + tookMs + " ms");
        // the slot is given back: a second read is refused for the broker, not as busy
        assertThrows(KafkaTimelineReader.Unavailable.class, () -> reader.read("task-1", null));
    }
}
