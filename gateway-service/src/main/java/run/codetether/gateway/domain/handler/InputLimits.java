package run.codetether.gateway.domain.handler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Routing;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.WorkspaceParams;

/**
 * What a message may carry, checked before anything is written, on every binding: at most {@code maxParts} parts,
 * none larger than {@code maxPartBytes}, and a {@code metadata.skill} the platform runs. A refusal is
 * INVALID_PARAMS naming the part or the skill, so the client knows what to fix; a silently ignored skill would run
 * the task as something the client did not ask for. A workspace archive part is capped by
 * {@code codetether.gateway.workspace.max-archive-bytes} instead (the engine checks it).
 *
 * <p>A part's size is what it carries: a text's UTF-8 bytes, a file's decoded bytes (or its URL), a data part's
 * JSON (estimated from its values, without encoding it).
 */
public final class InputLimits {
    private final int maxParts;
    private final long maxPartBytes;
    private final TreeSet<String> skills;

    /** @param skills the values {@code metadata.skill} may take (sorted in the refusal message) */
    public InputLimits(int maxParts, long maxPartBytes, Collection<String> skills) {
        if (maxParts < 1 || maxPartBytes < 1) {
            throw new IllegalArgumentException("input limits must be positive: max-parts " + maxParts
                    + ", max-part-bytes " + maxPartBytes);
        }
        this.maxParts = maxParts;
        this.maxPartBytes = maxPartBytes;
        this.skills = new TreeSet<>(skills);
    }

    public void check(SendRequest request) {
        Message message = request.message();
        List<Part> parts = message.parts();
        if (parts.size() > maxParts) {
            throw A2AException.invalidParams("message.parts has " + parts.size() + " parts; at most " + maxParts
                    + " are accepted in one message");
        }
        // the workspace archive has its own, larger cap (WorkspaceUploads), checked by the engine
        int archive = WorkspaceParams.archivePart(message);
        for (int i = 0; i < parts.size(); i++) {
            if (i == archive) {
                continue;
            }
            long size = size(parts.get(i));
            if (size > maxPartBytes) {
                throw A2AException.invalidParams("message.parts[" + i + "] holds " + size + " bytes; a part may hold"
                        + " at most " + maxPartBytes + " bytes");
            }
        }
        String skill = Routing.skill(message, request.metadata());
        if (skill != null && !skills.contains(skill)) {
            throw A2AException.invalidParams("metadata.skill '" + shorten(skill) + "' is not a skill this platform "
                    + "runs; known skills: " + String.join(", ", skills));
        }
    }

    static long size(Part part) {
        return switch (part) {
            case Part.Text t -> utf8Length(t.text());
            case Part.File f -> f.bytesBase64() != null ? decodedLength(f.bytesBase64()) : utf8Length(f.uri());
            case Part.Data d -> jsonSize(d.data());
        };
    }

    private static long decodedLength(String base64) {
        int len = base64.length();
        int padding = len > 0 && base64.charAt(len - 1) == '=' ? (len > 1 && base64.charAt(len - 2) == '=' ? 2 : 1)
                : 0;
        return (long) len * 3 / 4 - padding;
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** About the length of the value's JSON text (quotes, separators and escapes aside). */
    static long jsonSize(Object value) {
        return switch (value) {
            case null -> 4;
            case String s -> utf8Length(s) + 2;
            case Map<?, ?> m -> {
                long n = 2;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    n += utf8Length(String.valueOf(e.getKey())) + 4 + jsonSize(e.getValue());
                }
                yield n;
            }
            case Collection<?> c -> {
                long n = 2;
                for (Object o : c) {
                    n += jsonSize(o) + 1;
                }
                yield n;
            }
            default -> String.valueOf(value).length();
        };
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
