package run.codetether.agent.domain.rlm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.codetether.agent.domain.model.ImagePart;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;

/** Turns the message of an A2A task with {@code metadata.skill = "rlm"} into an RLM request. */
final class RlmSkill {
    /** Workspace paths named in the text: a token with a '/' or a file extension (not a URL, not a number). */
    private static final Pattern PATH = Pattern.compile("(?<![\\w/.:-])((?:[\\w.-]+/)*[\\w-][\\w.-]*\\.[A-Za-z][A-Za-z0-9]{0,9}"
            + "|(?:[\\w.-]+/)+[\\w.-]+)(?![\\w/:])");
    static final int MAX_GUESSED_PATHS = 20;

    /**
     * @param paths file parts by reference: must be readable
     * @param guessedPaths paths the text names: read when they exist
     * @param images inline image files: for the model beside the query when it reads images (RLM's content is text)
     * @param imageNotes one line per inline image (name, type, size), or why it cannot be sent
     */
    record Request(String query, String content, List<String> paths, List<String> guessedPaths,
            List<ImagePart> images, List<String> imageNotes) {}

    private RlmSkill() {}

    static Request request(Message message, int queryChars) {
        String text = message.text();
        StringBuilder inline = new StringBuilder();
        List<String> paths = new ArrayList<>();
        List<ImagePart> images = new ArrayList<>();
        List<String> imageNotes = new ArrayList<>();
        for (Part p : message.parts()) {
            if (p instanceof Part.File f) {
                if (f.bytesBase64() != null && isImage(f)) {
                    // an image is not text to grep: decoding it as UTF-8 would feed the REPL noise
                    image(f, images, imageNotes);
                } else if (f.bytesBase64() != null) {
                    String body;
                    try {
                        body = new String(Base64.getDecoder().decode(f.bytesBase64()), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        body = "(not valid base64: " + e.getMessage() + ")";
                    }
                    inline.append("=== ").append(f.name() == null ? "attached file" : f.name()).append(" ===\n")
                            .append(body).append('\n');
                } else if (f.uri().startsWith("http://") || f.uri().startsWith("https://")) {
                    inline.append("=== ").append(f.uri()).append(" (not loaded: only workspace paths and inline files "
                            + "are read) ===\n");
                } else {
                    paths.add(f.uri().startsWith("file://") ? f.uri().substring("file://".length()) : f.uri());
                }
            }
        }
        Set<String> guessed = new LinkedHashSet<>();
        Matcher m = PATH.matcher(text.length() > 20_000 ? text.substring(0, 10_000) + "\n" + text.substring(text.length() - 10_000) : text);
        while (m.find() && guessed.size() < MAX_GUESSED_PATHS) {
            String p = m.group(1).replaceAll("[.]+$", "");
            if (!p.isEmpty() && !paths.contains(p) && !p.matches("[\\d.]+")) {
                guessed.add(p);
            }
        }
        String query = text.length() <= queryChars ? text
                : "Do what the user's message asks. The message (" + text.length() + " chars) is part of the content; "
                        + "its request is usually at its start or its end.\nStart: " + text.substring(0, queryChars / 2)
                        + "\n...\nEnd: " + text.substring(text.length() - queryChars / 2);
        boolean messageIsContent = text.length() > queryChars || paths.isEmpty() && inline.isEmpty();
        String content = (messageIsContent ? "=== message ===\n" + text + "\n" : "") + inline;
        return new Request(query.isBlank() ? "Summarize this content." : query, content.isEmpty() ? null : content,
                paths, List.copyOf(guessed), List.copyOf(images), List.copyOf(imageNotes));
    }

    private static boolean isImage(Part.File f) {
        return f.mediaType() != null && f.mediaType().toLowerCase(java.util.Locale.ROOT).startsWith("image/");
    }

    private static void image(Part.File f, List<ImagePart> images, List<String> notes) {
        String name = (f.name() == null ? "attached image" : f.name()) + " (" + f.mediaType();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(f.bytesBase64());
        } catch (IllegalArgumentException e) {
            notes.add(name + "): not valid base64, not sent");
            return;
        }
        if (!ImagePart.sendable(f.mediaType(), bytes.length)) {
            notes.add(name + ", " + bytes.length + " bytes): not sent, a model takes only " + ImagePart.SENDABLE
                    + " images of at most " + ImagePart.MAX_BYTES + " bytes");
            return;
        }
        images.add(new ImagePart(f.mediaType().toLowerCase(java.util.Locale.ROOT), Base64.getEncoder()
                .encodeToString(bytes)));
        notes.add(name + ", " + bytes.length + " bytes)");
    }
}
