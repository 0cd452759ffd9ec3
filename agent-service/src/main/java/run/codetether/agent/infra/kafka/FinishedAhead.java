package run.codetether.agent.infra.kafka;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NavigableSet;

/**
 * The commands finished past a committed offset, as the commit's metadata says them: every offset from the committed
 * one up to {@code limit} is finished except the committed one itself and those listed ({@code open}). Written as
 * {@code f1:<limit - committed>:<gap>,<gap>,...} in base 36, each open offset as its distance from the one before;
 * at most {@link #MAX_OPEN} open offsets are listed (the limit stops at the next one), so the text stays far below
 * the broker's {@code offset.metadata.max.bytes} (4,096 by default). Readers of another format (or none) skip it:
 * the commands are then run again, and their saved ends are sent once more.
 */
record FinishedAhead(long committed, long limit, long[] open) {
    private static final String PREFIX = "f1:";
    static final int MAX_OPEN = 300;

    /** @param open the unfinished offsets, the first being the committed one; {@code next} where reading goes on */
    static String encode(NavigableSet<Long> open, long next) {
        Iterator<Long> it = open.iterator();
        long committed = it.next();
        long limit = next;
        StringBuilder gaps = new StringBuilder();
        long before = committed;
        int listed = 0;
        while (it.hasNext()) {
            long o = it.next();
            if (listed == MAX_OPEN) {
                limit = o; // the rest is not listed: nothing from here on counts as finished
                break;
            }
            gaps.append(listed == 0 ? "" : ",").append(Long.toString(o - before, 36));
            before = o;
            listed++;
        }
        boolean anyFinished = limit - committed - 1 > listed; // open ones fill (committed, limit) otherwise
        return anyFinished ? PREFIX + Long.toString(limit - committed, 36) + ":" + gaps : "";
    }

    /** Null when the metadata says nothing finished past {@code committed} (empty, or another format). */
    static FinishedAhead parse(long committed, String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return null;
        }
        try {
            String[] parts = metadata.substring(PREFIX.length()).split(":", -1);
            long limit = committed + Long.parseLong(parts[0], 36);
            long[] open = parts[1].isEmpty() ? new long[0]
                    : Arrays.stream(parts[1].split(",")).mapToLong(g -> Long.parseLong(g, 36)).toArray();
            long at = committed;
            for (int i = 0; i < open.length; i++) {
                at += open[i];
                open[i] = at;
            }
            return limit > committed + 1 ? new FinishedAhead(committed, limit, open) : null;
        } catch (RuntimeException e) {
            return null; // unreadable: as if nothing were said (the ends may go out again)
        }
    }

    boolean finished(long offset) {
        return offset > committed && offset < limit && Arrays.binarySearch(open, offset) < 0;
    }
}
