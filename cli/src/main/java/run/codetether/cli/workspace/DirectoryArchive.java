package run.codetether.cli.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import run.codetether.contracts.a2a.WorkspaceExtension;

/**
 * A directory that is not a git checkout, as the .tar.gz {@code run --workspace} and the TUI send. The same files a
 * checkout would carry: git itself picks them, through a scratch repository outside the directory whose work tree is
 * the directory ({@code git add -A}), so {@code .gitignore} files in it, {@code core.excludesFile} and a nested
 * repository are treated as in a checkout; the directory gains nothing. What is left out is named (for the one line
 * that says what was sent). Empty directories do not travel (git keeps no directories).
 */
final class DirectoryArchive {
    /** How many skipped paths the description names before "+N more". */
    private static final int NAMED = 4;

    private DirectoryArchive() {}

    static CheckoutArchive.Archive of(Path dir) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("codetether-dir-");
        try {
            Path gitDir = tmp.resolve("scratch.git");
            GitRunner git = new GitRunner(dir);
            git.ok(Map.of(), "init", "-q", "--bare", gitDir.toString());
            // GIT_CEILING_DIRECTORIES is not needed: GIT_DIR names the repository, so no search happens
            Map<String, String> env = Map.of("GIT_DIR", gitDir.toString(), "GIT_WORK_TREE", dir.toString(),
                    "GIT_INDEX_FILE", tmp.resolve("index").toString());
            // --ignore-errors: a file it cannot read (or a nested repository without a commit) is named, not fatal
            GitRunner.Result added = git.run(env, null, "-c", "core.autocrlf=false", "-c", "advice.addEmbeddedRepo=false",
                    "add", "-A", "--ignore-errors", ".");
            List<String> unreadable = added.err().lines().filter(l -> l.startsWith("error: "))
                    .map(l -> l.substring("error: ".length()).strip()).toList();
            if (added.exit() != 0 && (added.exit() != 1 || unreadable.isEmpty())) {
                throw new IOException("cannot read " + dir + " to send it (git add -A in a scratch repository): "
                        + added.err().strip());
            }
            String tree = git.ok(env, "write-tree").text();
            List<String> nested = new ArrayList<>();
            long files = 0;
            for (String line : git.ok(env, "ls-files", "-s").text().lines().toList()) {
                if (line.startsWith("160000 ")) { // a nested repository: git keeps only its commit id
                    nested.add(line.substring(line.indexOf('\t') + 1) + "/");
                } else if (!line.isBlank()) {
                    files++;
                }
            }
            List<String> ignored = git.ok(env, "ls-files", "--others", "--ignored", "--exclude-standard", "--directory")
                    .text().lines().filter(l -> !l.isBlank()).toList();
            Path tar = tmp.resolve("x.tar");
            git.ok(env, "archive", "--format=tar", "-o", tar.toString(), tree);
            byte[] bytes = gzip(tar);
            String name = (dir.getFileName() == null ? "root" : dir.getFileName().toString()) + ".tar.gz";
            List<String> left = new ArrayList<>();
            skipped(left, "ignored by .gitignore", ignored);
            skipped(left, "nested git repositories", nested);
            skipped(left, "unreadable", unreadable);
            String what = "directory " + dir + " (not a git checkout), " + files + " file" + (files == 1 ? "" : "s")
                    + (left.isEmpty() ? "" : " (left out: " + String.join("; ", left) + ")");
            return new CheckoutArchive.Archive(bytes, WorkspaceExtension.GZIP_MEDIA_TYPE, name, what);
        } finally {
            CheckoutArchive.deleteTree(tmp);
        }
    }

    private static void skipped(List<String> out, String what, List<String> paths) {
        if (!paths.isEmpty()) {
            out.add(what + ": " + String.join(", ", paths.subList(0, Math.min(NAMED, paths.size())))
                    + (paths.size() > NAMED ? " +" + (paths.size() - NAMED) + " more" : ""));
        }
    }

    private static byte[] gzip(Path tar) throws IOException {
        Path gz = tar.resolveSibling("x.tar.gz");
        try (InputStream in = Files.newInputStream(tar); OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            in.transferTo(out);
        }
        return Files.readAllBytes(gz);
    }
}
