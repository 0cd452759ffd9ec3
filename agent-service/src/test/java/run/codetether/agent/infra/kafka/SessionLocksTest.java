package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Loads of two sessions never wait for each other, whatever their ids hash to (the 256 striped locks before made a
 * load wait for an unrelated one in its stripe: issue 19); loads of one session do; nothing is kept after them.
 */
class SessionLocksTest {
    /** Two context ids that shared a stripe of the old 256 ({@code (h ^ h >>> 16) & 255}). */
    private static String[] sameStripe() {
        String first = "ctx-0";
        int stripe = stripe(first);
        for (int i = 1;; i++) {
            String other = "ctx-" + i;
            if (stripe(other) == stripe) {
                return new String[] {first, other};
            }
        }
    }

    private static int stripe(String id) {
        int h = id.hashCode();
        return (h ^ (h >>> 16)) & 255;
    }

    @Test
    void aLoadOfAnotherSessionDoesNotWaitEvenWhereTheOldStripesCollided() throws Exception {
        SessionLocks locks = new SessionLocks();
        String[] ids = sameStripe();
        SessionLocks.Held a = locks.lock(ids[0]);
        try {
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> locks.lock(ids[1]).unlock());
            other.get(10, TimeUnit.SECONDS); // held behind a only if the locks were shared
        } finally {
            a.unlock();
        }
        assertEquals(0, locks.size(), "no lock kept after the loads");
    }

    @Test
    void aSecondLoadOfTheSameSessionWaitsForTheFirst() throws Exception {
        SessionLocks locks = new SessionLocks();
        SessionLocks.Held first = locks.lock("ctx-same");
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> locks.lock("ctx-same").unlock());
        try {
            second.get(300, TimeUnit.MILLISECONDS);
        } catch (TimeoutException expected) {
            // waits while the first holds it
        }
        assertFalse(second.isDone(), "the second load of the session waits for the first");
        first.unlock();
        second.get(10, TimeUnit.SECONDS);
        assertTrue(second.isDone());
        assertEquals(0, locks.size(), "no lock kept after the loads");
    }
}
