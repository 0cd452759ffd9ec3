package run.codetether.gateway.infra.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.gateway.domain.TaskStore.Summary;

/**
 * The binary form of a task's {@link Summary}: in the on-disk store beside each task, and as a header of each
 * {@code tasks.state} record, so a cold start learns what it needs about a finished task without decoding it.
 * Version byte first; strings are length-prefixed UTF-8 (-1: null).
 */
public final class SummaryCodec {
    private static final byte VERSION = 1;

    private SummaryCodec() {}

    public static byte[] encode(Summary s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            text(out, s.id());
            text(out, s.contextId());
            text(out, s.tenant());
            text(out, s.owner());
            text(out, s.state().name());
            out.writeLong(s.timestamp().getEpochSecond());
            out.writeInt(s.timestamp().getNano());
            out.writeLong(s.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a summary of a known version */
    public static Summary decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown task summary version " + version);
            }
            String id = text(in);
            String contextId = text(in);
            String tenant = text(in);
            String owner = text(in);
            TaskState state = TaskState.valueOf(text(in));
            Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
            return new Summary(id, contextId, tenant, owner, state, at, in.readLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated task summary", e);
        }
    }

    /** The same summary with another offset (the state record's offset header is the authority). */
    public static Summary withOffset(Summary s, long offset) {
        return new Summary(s.id(), s.contextId(), s.tenant(), s.owner(), s.state(), s.timestamp(), offset);
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String text(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
