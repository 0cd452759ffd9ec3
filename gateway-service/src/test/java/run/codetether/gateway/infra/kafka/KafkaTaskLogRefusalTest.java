package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.A2AException;

/**
 * With no broker, a write the producer refuses inside {@code send()} (after waiting {@code max.block.ms} for
 * metadata) has failed by the time {@code appendEvents} returns: the accept then sends no second record and the
 * client's error comes after one wait, not one per record (the broker kill drill measured 4.6 s for three waits
 * with a 1.5 s send timeout). Loopback port with nothing listening.
 */
class KafkaTaskLogRefusalTest {

    @Test
    void aRecordRefusedInsideSendHasFailedWhenAppendReturns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (KafkaTaskLog log = new KafkaTaskLog("127.0.0.1:" + port, "refusal", Duration.ofMillis(300))) {
            Instant now = Instant.now();
            TaskEvent a = new TaskEvent.StatusChanged("t1", "c1", "gateway", new TaskStatus(TaskState.SUBMITTED, null,
                    now), Map.of(), now);
            CompletableFuture<List<Long>> f = log.appendEvents("t1", List.of(a, a, a));
            assertTrue(f.isCompletedExceptionally(), "refused before appendEvents returned: " + f);
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertInstanceOf(A2AException.class, e.getCause());
        }
    }
}
