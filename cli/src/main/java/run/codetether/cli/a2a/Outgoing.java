package run.codetether.cli.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An A2A 1.0 SendMessage request under construction: text, conversation, routing metadata ({@code provider},
 * {@code model}, {@code skill}, ...; snake_case keys as in INTERFACES.md) and attachments. A text file attachment
 * goes as a text part holding its contents (the agent reads text parts), anything else as an inline file part.
 */
public final class Outgoing {
    /** The gateway's body limit is 1 MiB; attachments stay well under it. */
    public static final long MAX_ATTACHMENT_BYTES = 256 * 1024;
    private static final Pattern AT_PATH = Pattern.compile("(?<=^|\\s)@(\\S+)");

    private final ObjectNode params = JsonWire.object();
    private final ObjectNode message = params.putObject("message");
    private final ArrayNode parts;
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    public Outgoing(String text) {
        String launcherId = LauncherRequest.takeMessageId();
        message.put("messageId", launcherId != null ? launcherId : randomUuid().toString());
        message.put("role", "ROLE_USER");
        parts = message.putArray("parts");
        parts.addObject().put("text", text);
    }

    public Outgoing context(String contextId) {
        if (contextId != null && !contextId.isBlank()) {
            message.put("contextId", contextId);
        }
        return this;
    }

    public Outgoing task(String taskId) {
        if (taskId != null && !taskId.isBlank()) {
            message.put("taskId", taskId);
        }
        return this;
    }

    /** {@code provider/model} splits into both keys; a bare model keeps the provider as given. */
    public Outgoing model(String provider, String model) {
        if (model != null && model.contains("/") && provider == null) {
            int slash = model.indexOf('/');
            provider = model.substring(0, slash);
            model = model.substring(slash + 1);
        }
        meta("provider", provider);
        return meta("model", model);
    }

    public Outgoing meta(String key, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            metadata.put(key, value);
        }
        return this;
    }

    /** A key of {@code message.metadata} (extension parameters such as {@code workspace} ride there). */
    public Outgoing messageMeta(String key, Object value) {
        ObjectNode m = message.has("metadata") ? (ObjectNode) message.get("metadata") : message.putObject("metadata");
        m.set(key, JsonWire.tree(value));
        return this;
    }

    /** A DataPart (approvals). */
    public Outgoing data(ObjectNode data) {
        parts.addObject().set("data", data);
        return this;
    }

    /** Attaches a file from the local disk. */
    public Outgoing attach(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_ATTACHMENT_BYTES) {
            throw new IOException(file + " is " + size + " bytes; attachments are limited to " + MAX_ATTACHMENT_BYTES);
        }
        byte[] bytes = Files.readAllBytes(file);
        String name = file.toString();
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') < 0) {
                parts.addObject().put("text", "Attached file `" + name + "`:\n```\n" + text
                        + (text.endsWith("\n") ? "" : "\n") + "```");
                return this;
            }
        } catch (CharacterCodingException binary) {
            // sent as a file part below
        }
        ObjectNode part = parts.addObject();
        part.put("raw", Base64.getEncoder().encodeToString(bytes));
        part.put("filename", file.getFileName().toString());
        part.put("mediaType", binaryMediaType(file));
        return this;
    }

    /** Attaches the file as an inline file part whatever its content (RLM reads those). */
    public Outgoing attachRaw(Path file) throws IOException {
        long size = Files.size(file);
        if (size > 768 * 1024) {
            throw new IOException(file + " is " + size + " bytes; the gateway takes messages up to 1 MiB");
        }
        ObjectNode part = parts.addObject();
        part.put("raw", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        part.put("filename", file.toString());
        part.put("mediaType", "text/plain");
        return this;
    }

    /**
     * Adds a workspace archive (a git bundle or .tar.gz) as an inline file part and answers its index, for
     * {@code metadata.workspace.archive.file_ref}. Its size is the gateway's to judge
     * ({@code codetether.gateway.workspace.max-archive-bytes}), not the attachment limit's.
     */
    public int archive(byte[] bytes, String name, String mediaType) {
        ObjectNode part = parts.addObject();
        part.put("raw", Base64.getEncoder().encodeToString(bytes));
        part.put("filename", name);
        part.put("mediaType", mediaType);
        return parts.size() - 1;
    }

    /** {@code @path} words of a prompt that name existing files (relative to {@code base}). */
    public static List<Path> attachments(String text, Path base) {
        List<Path> out = new ArrayList<>();
        Matcher m = AT_PATH.matcher(text);
        while (m.find()) {
            Path p = base.resolve(m.group(1)).normalize();
            if (Files.isRegularFile(p) && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    public Outgoing returnImmediately(boolean value) {
        params.putObject("configuration").put("returnImmediately", value);
        return this;
    }

    public ObjectNode params() {
        if (!metadata.isEmpty()) {
            params.set("metadata", JsonWire.tree(metadata));
        }
        return params;
    }

    /**
     * A random (version 4) UUID from the kernel's random source, as {@link UUID#randomUUID()} makes it, but without
     * setting up the JDK's security providers for a {@code SecureRandom} (with its lambda forms, a fifth of
     * {@code run}'s main-thread CPU before the first request). Where {@code /dev/urandom} cannot be read (Windows),
     * {@link UUID#randomUUID()} itself.
     */
    static UUID randomUuid() {
        byte[] b = new byte[16];
        try (java.io.InputStream in = new java.io.FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, 16) != 16) {
                return UUID.randomUUID();
            }
        } catch (IOException | SecurityException e) {
            return UUID.randomUUID();
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    /** The gateway takes text and PNG/JPEG images (ContentTypes.INPUT_MODES); anything else is refused here. */
    private static String binaryMediaType(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        throw new IOException(file + " is binary; only text files and PNG/JPEG images can be attached");
    }
}
