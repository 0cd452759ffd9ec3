package run.codetether.agent.infra.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.session.Session;

/**
 * Where a session's log stands as this replica last wrote or read it: the snapshot's epoch, the deltas after it and
 * the messages they hold. The next save of the session is a delta when the session only appended to those messages
 * (the same message objects: the loop appends, never rewrites) and the deltas are still smaller than the snapshot, so
 * the bytes written over a run stay proportional to what the run added; otherwise it is a new snapshot.
 *
 * @param epoch names the snapshot's deltas; null for a snapshot from before deltas existed (never followed)
 * @param seq deltas written after the snapshot
 * @param closed the next save must be a snapshot (the log read back ended at a gap)
 */
record SessionLogHead(String epoch, int seq, List<ChatMessage> messages, long snapshotBytes, long deltaBytes, boolean closed) {
    /** A load reads at most this many deltas; the save after them is a snapshot. */
    static final int MAX_DELTAS = 256;

    static SessionLogHead snapshot(Session s, String epoch, long bytes) {
        return new SessionLogHead(epoch, 0, copy(s.messages), bytes, 0, false);
    }

    /** Where a log read back stands: the loaded session's messages, and whether it ended at a gap. */
    static SessionLogHead read(Session s, String epoch, int seq, long snapshotBytes, long deltaBytes, boolean gap) {
        return new SessionLogHead(epoch, seq, copy(s.messages), snapshotBytes, deltaBytes, gap);
    }

    /** A fresh epoch: random, so a replica that lost track of a session never reuses a key of its earlier deltas. */
    static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
    }

    boolean canFollow(Session s) {
        if (closed || epoch == null || seq >= MAX_DELTAS || deltaBytes > snapshotBytes || s.messages.size() < messages.size()) {
            return false;
        }
        for (int i = 0; i < messages.size(); i++) {
            if (s.messages.get(i) != messages.get(i)) {
                return false;
            }
        }
        return true;
    }

    SessionLogHead followedBy(Session s, long bytes) {
        return new SessionLogHead(epoch, seq + 1, copy(s.messages), snapshotBytes, deltaBytes + bytes, false);
    }

    private static List<ChatMessage> copy(List<ChatMessage> messages) {
        return Collections.unmodifiableList(new ArrayList<>(messages));
    }
}
