package run.codetether.gateway.domain;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The ids the gateway gives new tasks and contexts: UUIDs of version 7 (RFC 9562), the creation time in
 * milliseconds first and 62 random bits last, so their strings sort in the order this process made them (within a
 * millisecond a 12-bit counter in {@code rand_a} keeps the order; it borrows the next millisecond when it runs out).
 *
 * <p>Why ordered: every map of the gateway's task store keyed by task id is a B-tree, and a commit rewrites (and
 * compresses) each leaf page a write touched. Random ids (version 4) put each new task in a leaf of its own, so
 * every task cost a whole leaf page of other tasks' JSON rewritten at the next checkpoint and, once the store
 * outgrew its page cache, a leaf read back from disk first: the checkpoint was a fifth of the gateway's CPU per
 * task on the full path (issue 18). Ordered ids all land in the rightmost leaves. The ids stay opaque to clients:
 * any string is still accepted where a client names one, and the 62 random bits keep them unguessable.
 */
public final class TaskIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last id's time and counter: milliseconds shifted left by 12, plus the 12-bit counter. */
    private final AtomicLong last = new AtomicLong();
    private final LongSupplier clockMillis;

    /** The process's ids (the wall clock). */
    public static final TaskIds SHARED = new TaskIds(System::currentTimeMillis);

    TaskIds(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** A new id, after (as a string) every id this instance made before. */
    public String next() {
        long now = clockMillis.getAsLong() << 12;
        // never behind the last one: the counter goes on within a millisecond, and when the clock steps back
        long stamp = last.updateAndGet(prev -> Math.max(now, prev + 1));
        long ms = stamp >>> 12;
        long hi = (ms & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (stamp & 0xFFFL);
        long lo = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo).toString();
    }
}
