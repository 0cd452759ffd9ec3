package run.codetether.gateway.infra.push;

import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jboss.logging.Logger;

/**
 * The push reader's commit metadata: the offsets of events whose deliveries all settled above the committed
 * position, written as {@code settled:} and their distances from it ("settled:3,5" at offset 100: 103 and 105).
 * The partition's next reader skips them instead of delivering them again. Bounded below the broker's
 * {@code offset.metadata.max.bytes} (4,096 by default, a larger commit is refused whole): offsets past the bound are
 * delivered again after a restart, with the ids of their first delivery (at least once, as without the list).
 */
final class SettledOffsets {
    static final String PREFIX = "settled:";
    static final int MAX_CHARS = 3_000;
    private static final Logger LOG = Logger.getLogger(SettledOffsets.class);

    private SettledOffsets() {
    }

    /** The settled offsets at or above {@code base}, nearest first, cut at {@link #MAX_CHARS}; "" for none. */
    static String encode(long base, NavigableSet<Long> settled) {
        StringBuilder b = new StringBuilder(PREFIX);
        for (long o : settled.tailSet(base, true)) {
            String d = Long.toString(o - base);
            if (b.length() + d.length() + 1 > MAX_CHARS) {
                break;
            }
            if (b.length() > PREFIX.length()) {
                b.append(',');
            }
            b.append(d);
        }
        return b.length() == PREFIX.length() ? "" : b.toString();
    }

    /** What {@link #encode} wrote at {@code base}; anything else (older gateways commit "") is no offset. */
    static ConcurrentSkipListSet<Long> decode(long base, String metadata) {
        ConcurrentSkipListSet<Long> settled = new ConcurrentSkipListSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return settled;
        }
        for (String d : metadata.substring(PREFIX.length()).split(",")) {
            try {
                long distance = Long.parseLong(d);
                if (distance >= 0) {
                    settled.add(base + distance);
                }
            } catch (NumberFormatException e) {
                LOG.warnf("push: ignoring a malformed settled offset '%s' in the commit metadata", d);
            }
        }
        return settled;
    }
}
