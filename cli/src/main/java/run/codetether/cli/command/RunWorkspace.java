package run.codetether.cli.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.workspace.CheckoutArchive;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * Which local directory {@code codetether run} sends as the task's workspace (a git bundle of the checkout with its
 * uncommitted and untracked files, or a .tar.gz of a plain directory), and the one line that says so on stderr.
 *
 * <p>{@code --workspace DIR} always sends DIR. Without it, a run started inside a git checkout sends that checkout,
 * unless: {@code --no-workspace}; {@code --repo} (tools-service clones instead); the run continues a conversation
 * ({@code --session}, {@code -c}, {@code --task}: the context's workspace is reused as it is, and another archive
 * would be a second source); a skill that works without files ({@code swarm}, {@code rlm}); or
 * {@code CODETETHER_WORKSPACE=off} in the environment (scripts, CI). The TUI sends its directory's checkout by the
 * same rules ({@link #forNewConversation}) and through the same {@link #attach}, and a plain directory too.
 */
public final class RunWorkspace {
    /** The environment variable that turns the default off ({@code off}, {@code false}, {@code 0}, {@code no}). */
    static final String ENV = "CODETETHER_WORKSPACE";

    private RunWorkspace() {}

    /** What the user asked for on the command line. */
    record Ask(Path explicit, boolean none, boolean repo, boolean continues, String skill) {}

    /** The directory to send, or empty; {@code cwd} is where the run started. */
    static Optional<Path> choose(Ask ask, Map<String, String> env, Path cwd) throws IOException, InterruptedException {
        if (ask.explicit() != null) {
            if (ask.none()) {
                throw new IllegalArgumentException("--workspace and --no-workspace contradict each other; give one");
            }
            if (ask.repo()) {
                throw new IllegalArgumentException("--workspace and --repo are two sources for one workspace; give one");
            }
            if (ask.continues()) {
                throw new IllegalArgumentException("--workspace starts a new conversation's workspace; a continued one "
                        + "(--session, -c, --task) works on its workspace as it is");
            }
            return Optional.of(ask.explicit());
        }
        if (ask.none() || ask.repo() || ask.continues() || off(env.get(ENV))
                || "swarm".equals(ask.skill()) || "rlm".equals(ask.skill())) {
            return Optional.empty();
        }
        return CheckoutArchive.checkoutRoot(cwd);
    }

    /**
     * What a new conversation started in {@code dir} without a flag sends (the TUI's case): the checkout {@code dir}
     * is in, else {@code dir} itself as a plain directory ({@link CheckoutArchive#of}: a .tar.gz of what its
     * .gitignore rules leave). Nothing when {@code none} (its {@code --no-workspace}), {@code CODETETHER_WORKSPACE=off},
     * or a skill that works without files; nothing, with the reason, when {@code dir} is the home directory, one
     * above it or the file system's root (a conversation started there is not about those files, and they hold the
     * user's keys).
     */
    public static Choice forNewConversation(boolean none, String skill, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        Optional<Path> checkout = choose(new Ask(null, none, false, false, skill), env, dir);
        if (checkout.isPresent() || none || off(env.get(ENV)) || "swarm".equals(skill) || "rlm".equals(skill)) {
            return new Choice(checkout.orElse(null), null);
        }
        Path abs = dir.toAbsolutePath().normalize();
        for (String home : new String[] {env.get("HOME"), System.getProperty("user.home")}) {
            if (home != null && !home.isBlank() && Path.of(home).toAbsolutePath().normalize().startsWith(abs)) {
                return new Choice(null, abs.getParent() == null ? abs + " is the file system's root, not a project"
                        : abs + " is your home directory" + (Path.of(home).toAbsolutePath().normalize().equals(abs)
                                ? "" : " or above it") + ", not a project");
            }
        }
        return new Choice(abs.getParent() == null ? null : abs,
                abs.getParent() == null ? abs + " is the file system's root, not a project" : null);
    }

    /**
     * A new conversation's workspace: the directory to send, or null with {@code why} (null when nothing is sent by
     * choice: a flag, the environment, a skill).
     */
    public record Choice(Path dir, String why) {}

    /**
     * Packs {@code dir} (a checkout as a bundle, else a .tar.gz) into {@code message} as its archive file part and
     * {@code metadata.workspace.archive.file_ref}; answers the archive (for {@link #note}).
     */
    public static CheckoutArchive.Archive attach(Outgoing message, Path dir) throws IOException, InterruptedException {
        CheckoutArchive.Archive archive = CheckoutArchive.of(dir);
        int index = message.archive(archive.bytes(), archive.name(), archive.mediaType());
        Map<String, Object> workspace = new java.util.LinkedHashMap<>();
        workspace.put(MetadataKeys.ARCHIVE, Map.of(MetadataKeys.FILE_REF, index));
        message.messageMeta(MetadataKeys.WORKSPACE, workspace);
        return archive;
    }

    private static boolean off(String value) {
        return value != null && switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "off", "false", "0", "no" -> true;
            default -> false;
        };
    }

    /** The stderr line: what was sent and how large, and how not to. */
    public static String note(CheckoutArchive.Archive archive, boolean explicit) {
        return "codetether: workspace: " + archive.description() + ", sent as " + archive.name() + " ("
                + size(archive.bytes().length) + ")" + (explicit ? "" : "; --no-workspace to send nothing");
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
