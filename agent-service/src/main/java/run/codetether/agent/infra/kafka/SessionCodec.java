package run.codetether.agent.infra.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.session.Session;
import run.codetether.platform.json.Json;

/**
 * The records of a session in {@code agent.sessions} (the platform's contract mapper: ISO instants, unknown fields
 * ignored). A session is a log: a snapshot under the key {@code contextId} (the whole session, plus the epoch that
 * names its deltas) followed by deltas under {@code contextId␟epoch.seq} (the messages appended since the previous
 * record, plus the session's small fields). So a step costs the bytes it added, not the whole history again.
 * A snapshot written before deltas existed has no epoch and is the whole session.
 */
final class SessionCodec {
    private static final ObjectMapper JSON = Json.mapper();
    /** Unit separator: cannot occur in a contextId a client can send (A2A ids are printable). */
    static final char DELTA_SEPARATOR = '\u001f';
    private static final String EPOCH = "log_epoch";
    private static final String FROM = "messages_from";

    private SessionCodec() {}

    /** A decoded snapshot: the session and the epoch of the deltas that may follow it (null: none can). */
    record Snapshot(Session session, String epoch) {}

    static String deltaKey(String contextId, String epoch, int seq) {
        return contextId + DELTA_SEPARATOR + epoch + "." + seq;
    }

    static boolean isDeltaKey(String key) {
        return key.indexOf(DELTA_SEPARATOR) >= 0;
    }

    /** The contextId a record key belongs to. */
    static String contextOf(String key) {
        int cut = key.indexOf(DELTA_SEPARATOR);
        return cut < 0 ? key : key.substring(0, cut);
    }

    static byte[] encodeSnapshot(Session s, String epoch) {
        try {
            // the epoch goes in front of the session's own fields, spliced rather than re-encoded through a tree:
            // a snapshot is the one large record of the log
            return withFirstField("\"" + EPOCH + "\":\"" + epoch + "\"", JSON.writeValueAsBytes(s));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode session " + s.contextId, e);
        }
    }

    /** {@code object} (a JSON object's bytes) with {@code field} ({@code "name":value}) spliced in as its first field. */
    private static byte[] withFirstField(String field, byte[] object) {
        boolean empty = object.length == 2; // "{}": nothing follows the spliced field
        byte[] head = ("{" + field + (empty ? "" : ",")).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + object.length - 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(object, 1, out, head.length, object.length - 1);
        return out;
    }

    /** The messages from index {@code from} on and every other field of the session. */
    static byte[] encodeDelta(Session s, int from) {
        Session d = shallowCopy(s);
        d.messages = s.messages.subList(from, s.messages.size());
        try {
            // spliced like a snapshot's epoch, not built as a tree and then written: a step writes two deltas, and
            // building the tree was 10-15 % of the task threads' CPU on agent-bench's Kafka path (issue 20's JFR)
            return withFirstField("\"" + FROM + "\":" + from, JSON.writeValueAsBytes(d));
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalStateException("cannot encode a delta of session " + s.contextId, e);
        }
    }

    static Snapshot decodeSnapshot(byte[] bytes) {
        try {
            JsonNode tree = JSON.readTree(bytes);
            JsonNode epoch = tree.get(EPOCH);
            return new Snapshot(JSON.treeToValue(tree, Session.class), epoch == null || epoch.isNull() ? null : epoch.asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("stored session is unreadable: " + e.getMessage(), e);
        }
    }

    /** The epoch of a snapshot (null for one from before deltas existed), without decoding the session. */
    static String decodeEpoch(byte[] snapshot) {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(snapshot)) {
            // written first by encodeSnapshot, so the second token names it when it is there
            if (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT
                    && p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && EPOCH.equals(p.currentName())) {
                return p.nextTextValue();
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("stored session is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Applies a delta to the session it follows. False (and the session unchanged) when the delta does not start
     * where the session ends: such a delta belongs to a lost branch of the log and ends the chain.
     */
    static boolean apply(Session base, byte[] delta) {
        try {
            JsonNode tree = JSON.readTree(delta);
            if (tree.path(FROM).asInt(-1) != base.messages.size()) {
                return false;
            }
            Session d = JSON.treeToValue(tree, Session.class);
            List<ChatMessage> messages = new ArrayList<>(base.messages.size() + d.messages.size());
            messages.addAll(base.messages);
            messages.addAll(d.messages);
            base.messages = messages;
            copyAllButMessages(d, base);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("stored session delta is unreadable: " + e.getMessage(), e);
        }
    }

    private static Session shallowCopy(Session s) {
        Session d = new Session(s.contextId);
        copyAllButMessages(s, d);
        return d;
    }

    /** Every field a delta carries besides its messages. */
    private static void copyAllButMessages(Session from, Session to) {
        to.summary = from.summary;
        to.summarizedCount = from.summarizedCount;
        to.tasks = from.tasks;
        to.todos = from.todos;
        to.plan = from.plan;
        to.updatedAt = from.updatedAt;
        to.workspaceEgress = from.workspaceEgress;
        to.changesDigest = from.changesDigest;
        to.workspaceNote = from.workspaceNote;
    }
}
