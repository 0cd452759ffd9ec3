package run.codetether.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code ~/.config/codetether-agent/config.toml}, the original's file and keys: {@code [default] provider, model},
 * {@code [ui] theme, hot_reload}, {@code [a2a] server_url}, and {@code [agent] access_mode} (what the tasks of
 * {@code run} and the TUI may do without asking; absent: the platform's default). The original's flat
 * {@code default_provider} / {@code default_model} are read too. Unknown keys are kept when {@code config set}
 * rewrites the file.
 */
public record CliConfig(String provider, String model, String theme, boolean hotReload, String serverUrl,
        String accessMode) {
    public static final List<String> THEMES = List.of("marketing", "dark", "light", "solarized-dark", "solarized-light");
    public static final CliConfig DEFAULTS = new CliConfig(null, null, "marketing", true, null, null);
    /** Keys {@code config set} accepts, with their aliases. */
    public static final Map<String, String> KEYS = Map.of(
            "default.provider", "default.provider", "default_provider", "default.provider",
            "default.model", "default.model", "default_model", "default.model",
            "ui.theme", "ui.theme", "ui.hot_reload", "ui.hot_reload",
            "a2a.server_url", "a2a.server_url", "agent.access_mode", "agent.access_mode");

    /** Built on first use: most start-ups read the file with {@link FlatToml} and never need it. */
    private static final class Toml {
        static final TomlMapper MAPPER = new TomlMapper();
    }

    /** {@code CODETETHER_CONFIG}, else {@code $XDG_CONFIG_HOME/codetether-agent/config.toml}, else under ~/.config. */
    public static Path defaultPath() {
        String explicit = System.getProperty("codetether.config", System.getenv("CODETETHER_CONFIG"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("codetether-agent").resolve("config.toml");
    }

    /** The file's settings over the defaults; a missing file gives the defaults. */
    public static CliConfig load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException missing) {
            return DEFAULTS;
        }
        var flat = FlatToml.parse(text);
        if (flat.isPresent()) {
            var t = flat.get();
            var def = t.getOrDefault("default", Map.of());
            var top = t.getOrDefault("", Map.of());
            var ui = t.getOrDefault("ui", Map.of());
            String theme = blankToNull(ui.get("theme"));
            theme = theme == null || theme.equals("default") ? DEFAULTS.theme() : theme;
            String provider = blankToNull(def.getOrDefault("provider", top.get("default_provider")));
            String model = blankToNull(def.getOrDefault("model", top.get("default_model")));
            return new CliConfig(provider, model, theme, !"false".equals(ui.get("hot_reload")),
                    blankToNull(t.getOrDefault("a2a", Map.of()).get("server_url")),
                    accessMode(blankToNull(t.getOrDefault("agent", Map.of()).get("access_mode")), file));
        }
        ObjectNode root = read(file);
        JsonNode def = root.path("default");
        JsonNode ui = root.path("ui");
        String provider = text(def.path("provider"), text(root.path("default_provider"), null));
        String model = text(def.path("model"), text(root.path("default_model"), null));
        String theme = text(ui.path("theme"), DEFAULTS.theme());
        if (theme.equals("default")) {
            theme = "marketing";
        }
        boolean hot = ui.path("hot_reload").asBoolean(true);
        return new CliConfig(provider, model, theme, hot, text(root.path("a2a").path("server_url"), null),
                accessMode(text(root.path("agent").path("access_mode"), null), file));
    }

    /** A valid access mode in its wire spelling, or null; anything else fails naming the file and the values. */
    private static String accessMode(String value, Path file) {
        if (value == null) {
            return null;
        }
        try {
            return run.codetether.contracts.approval.AccessMode.parse(value).wire();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": [agent] " + e.getMessage());
        }
    }

    /** Like {@link #load} but a broken file answers the defaults and the reason (the TUI keeps running). */
    public static Loaded loadOrDefaults(Path file) {
        try {
            return new Loaded(load(file), null);
        } catch (IOException | RuntimeException e) {
            return new Loaded(DEFAULTS, file + ": " + e.getMessage());
        }
    }

    /** A config and, when the file could not be read, why. */
    public record Loaded(CliConfig config, String problem) {}

    public static ObjectNode read(Path file) throws IOException {
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                return Toml.MAPPER.createObjectNode();
            }
            JsonNode node = Toml.MAPPER.readTree(text);
            return node instanceof ObjectNode o ? o : Toml.MAPPER.createObjectNode();
        } catch (NoSuchFileException missing) {
            return Toml.MAPPER.createObjectNode();
        }
    }

    /** Sets one key (see {@link #KEYS}), validating it, and rewrites the file atomically. */
    public static void set(Path file, String key, String value) throws IOException {
        String canonical = KEYS.get(key);
        if (canonical == null) {
            throw new IllegalArgumentException("unknown config key '" + key + "'; known keys: default.provider, "
                    + "default.model, ui.theme, ui.hot_reload, a2a.server_url, agent.access_mode");
        }
        ObjectNode root = read(file);
        String[] path = canonical.split("\\.");
        ObjectNode table = root.with(path[0]);
        switch (canonical) {
            case "ui.theme" -> {
                if (!THEMES.contains(value)) {
                    throw new IllegalArgumentException("unknown theme '" + value + "'; themes: " + String.join(", ", THEMES));
                }
                table.put(path[1], value);
            }
            case "ui.hot_reload" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("ui.hot_reload is true or false, not '" + value + "'");
                }
                table.put(path[1], Boolean.parseBoolean(value));
            }
            case "agent.access_mode" -> table.put(path[1], run.codetether.contracts.approval.AccessMode.parse(value).wire());
            default -> table.put(path[1], value);
        }
        if (canonical.startsWith("default.")) {
            root.remove("default_" + path[1]);
        }
        write(file, root);
    }

    public static String toToml(ObjectNode root) throws IOException {
        return Toml.MAPPER.writeValueAsString(root);
    }

    private static void write(Path file, ObjectNode root) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".config", ".toml");
        Files.writeString(tmp, toToml(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(JsonNode n, String fallback) {
        return n != null && n.isValueNode() && !n.asText().isBlank() ? n.asText() : fallback;
    }

    /** The effective settings as TOML (what {@code config --show} prints). */
    public String effectiveToml() {
        StringBuilder s = new StringBuilder("[default]\n");
        s.append("provider = ").append(quote(provider)).append('\n');
        s.append("model = ").append(quote(model)).append("\n\n[ui]\n");
        s.append("theme = ").append(quote(theme)).append('\n');
        s.append("hot_reload = ").append(hotReload).append("\n\n[a2a]\n");
        s.append("server_url = ").append(quote(serverUrl)).append("\n\n[agent]\n");
        s.append("access_mode = ").append(quote(accessMode)).append('\n');
        return s.toString();
    }

    private static String quote(String v) {
        return v == null ? "\"\"  # not set" : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
