package run.codetether.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import run.codetether.platform.json.Json;

/**
 * The conversations this CLI started, per directory, as the original kept its sessions: an A2A contextId with a
 * title, the directory it was started in, the gateway, the model and when it was last used. The conversation itself
 * lives on the platform (the gateway's tasks of that context); this file only remembers which ones are yours here.
 * Stored in {@code $XDG_DATA_HOME/codetether/sessions.json} (default {@code ~/.local/share}), replaced atomically.
 */
public final class SessionIndex {
    /** One remembered session. */
    public record Entry(String contextId, String title, String directory, String gateway, String model,
            String lastTaskId, Instant created, Instant updated, int turns) {}

    private final Path file;

    public SessionIndex(Path file) {
        this.file = file;
    }

    public static Path defaultPath() {
        String explicit = System.getProperty("codetether.sessions-file", System.getenv("CODETETHER_SESSIONS_FILE"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("codetether").resolve("sessions.json");
    }

    /** Newest first; {@code directory} null for all directories. */
    public synchronized List<Entry> list(String directory) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (JsonNode n : read().path("sessions")) {
            Entry e = entry(n);
            if (directory == null || directory.equals(e.directory())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(Entry::updated).reversed());
        return out;
    }

    /**
     * The entry whose contextId equals, starts with or ends with {@code idOrPrefix} (unique): the TUI shows an id by
     * its end, since the gateway's time-ordered ids share their start for about a minute.
     */
    public synchronized Optional<Entry> find(String idOrPrefix) throws IOException {
        List<Entry> matches = new ArrayList<>();
        for (Entry e : list(null)) {
            if (e.contextId().equals(idOrPrefix)) {
                return Optional.of(e);
            }
            if (e.contextId().startsWith(idOrPrefix) || e.contextId().endsWith(idOrPrefix)) {
                matches.add(e);
            }
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("'" + idOrPrefix + "' matches " + matches.size() + " sessions; give more of the id");
        }
        return matches.stream().findFirst();
    }

    /** Records a turn of a session (creating the entry on its first turn). */
    public synchronized Entry touch(String contextId, String firstText, String directory, String gateway, String model,
            String taskId, Instant now) throws IOException {
        ObjectNode root = read();
        ArrayNode sessions = root.withArray("sessions");
        ObjectNode found = null;
        for (JsonNode n : sessions) {
            if (n.path("context_id").asText().equals(contextId)) {
                found = (ObjectNode) n;
            }
        }
        if (found == null) {
            found = sessions.addObject();
            found.put("context_id", contextId);
            found.put("title", title(firstText));
            found.put("directory", directory);
            found.put("created", now.toString());
            found.put("turns", 0);
        }
        found.put("gateway", gateway);
        if (model != null) {
            found.put("model", model);
        }
        if (taskId != null) {
            found.put("last_task_id", taskId);
        }
        found.put("updated", now.toString());
        found.put("turns", found.path("turns").asInt() + 1);
        write(root);
        return entry(found);
    }

    /** Forgets a session here; answers false when it was not known. */
    public synchronized boolean delete(String contextId) throws IOException {
        ObjectNode root = read();
        ArrayNode sessions = root.withArray("sessions");
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i).path("context_id").asText().equals(contextId)) {
                sessions.remove(i);
                write(root);
                return true;
            }
        }
        return false;
    }

    static String title(String text) {
        String t = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return t.length() > 60 ? t.substring(0, 59) + "…" : t.isEmpty() ? "(untitled)" : t;
    }

    private static Entry entry(JsonNode n) {
        return new Entry(n.path("context_id").asText(), n.path("title").asText(), n.path("directory").asText(),
                n.path("gateway").asText(""), n.path("model").asText(null), n.path("last_task_id").asText(null),
                Instant.parse(n.path("created").asText(Instant.EPOCH.toString())),
                Instant.parse(n.path("updated").asText(Instant.EPOCH.toString())), n.path("turns").asInt());
    }

    private ObjectNode read() throws IOException {
        try {
            JsonNode n = Json.mapper().readTree(Files.readString(file));
            return n instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
        } catch (NoSuchFileException missing) {
            return Json.mapper().createObjectNode();
        }
    }

    private void write(ObjectNode root) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".sessions", ".tmp");
        Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
