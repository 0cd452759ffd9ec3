package run.codetether.tools.infra.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.Redactor;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceInfo;
import run.codetether.tools.domain.git.WorkspaceResults.Author;
import run.codetether.tools.domain.git.WorkspaceResults.Prepared;
import run.codetether.tools.domain.git.WorkspaceSource;

/**
 * Brings one source into a new, empty workspace: a git remote (fetch of one ref, shallow by default, checkout,
 * first-level submodules), a git bundle (its worktree snapshot as the base when present), a tarball (unpacked,
 * committed as the base) or nothing. Every remote goes through {@code access} (host check, pinning, credential).
 * The caller ({@link GitWorkspaces}) holds the session's lock and cleans up when this throws.
 */
final class WorkspaceImport {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,199}");

    private final Function<GitUrl, RemoteAccess> access;
    private final TarballUnpacker tarballs;
    private final GitWorkspaces.Settings settings;

    WorkspaceImport(Function<GitUrl, RemoteAccess> access, TarballUnpacker tarballs, GitWorkspaces.Settings settings) {
        this.access = access;
        this.tarballs = tarballs;
        this.settings = settings;
    }

    Prepared fromGit(GitRepo repo, WorkspaceSource.Git g, boolean egress) {
        GitUrl url = g.url();
        String ref = g.ref() == null ? "" : g.ref().strip();
        if (!ref.isEmpty() && (!REF.matcher(ref).matches() || ref.contains("..") || ref.endsWith(".lock"))) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "'" + ref + "' is not a valid branch, tag or commit id");
        }
        if (ref.matches("[0-9a-f]{7,39}")) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "use the full commit id, not the abbreviation '" + ref + "'");
        }
        int depth = g.depth() == null ? settings.defaultDepth() : g.depth();
        if (depth < 0) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "depth must be 0 (full history) or positive");
        }
        String branch;
        String commit;
        try (RemoteAccess remote = access.apply(url)) { // refused hosts end here, before git runs at all
            repo.init();
            repo.config("remote.origin.url", url.display());
            List<String> args = new ArrayList<>(List.of("fetch", "-q", "--no-tags", "--no-recurse-submodules"));
            if (depth > 0) {
                args.add("--depth=" + depth);
            }
            args.add(remote.url());
            args.add(ref.isEmpty() ? "HEAD" : ref);
            repo.run(new GitCli.Call(args, null, null, remote.config(), remote.env(), remote.redactor(), 1 << 20, null),
                    "git fetch " + (ref.isEmpty() ? "HEAD" : ref) + " from " + url.display());
            commit = repo.git("git rev-parse", "rev-parse", "--verify", "FETCH_HEAD^{commit}").out();
            branch = ref.isEmpty() ? remoteHead(repo, remote) : FULL_SHA.matcher(ref).matches() ? "" : ref;
        }
        repo.checkout(commit, branch);
        List<String> notes = new ArrayList<>();
        if (g.submodules()) {
            notes.addAll(submodules(repo, depth));
        }
        return new Prepared(new WorkspaceInfo("git", url.display(), g.key(), url.display(), ref.isEmpty() ? "HEAD" : ref,
                commit, branch, egress, System.currentTimeMillis()), false, 0, notes);
    }

    /** The remote's default branch name (for the working branch), "main" when the server does not say. */
    private String remoteHead(GitRepo repo, RemoteAccess remote) {
        GitCli.Result r = repo.runRaw(new GitCli.Call(List.of("ls-remote", "--symref", remote.url(), "HEAD"), null, null,
                remote.config(), remote.env(), remote.redactor(), 1 << 20, null));
        for (String line : r.out().split("\n")) {
            if (line.startsWith("ref: refs/heads/") && line.endsWith("\tHEAD")) {
                return line.substring("ref: refs/heads/".length(), line.length() - "\tHEAD".length());
            }
        }
        return "main";
    }

    /** First-level submodules, each URL through the same host checks and pinned; nested ones are not fetched. */
    private List<String> submodules(GitRepo repo, int depth) {
        if (!Files.exists(repo.workTree().resolve(".gitmodules"))) {
            return List.of("no .gitmodules: the repository has no submodules");
        }
        repo.git("git submodule init", "submodule", "init");
        GitCli.Result r = repo.gitQuiet("config", "--get-regexp", "^submodule\\..*\\.url$");
        List<String> notes = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf(' ');
            String key = line.substring(0, sp);
            String name = key.substring("submodule.".length(), key.length() - ".url".length());
            GitUrl url = GitUrl.parse(line.substring(sp + 1));
            String path = repo.git("git config", "config", "-f", ".gitmodules", "submodule." + name + ".path").out();
            try (RemoteAccess remote = access.apply(url)) {
                repo.config(key, remote.url());
                List<String> args = new ArrayList<>(List.of("submodule", "update", "--init", "--no-recommend-shallow"));
                if (depth > 0) {
                    args.add("--depth=" + depth);
                }
                args.add("--");
                args.add(path);
                repo.run(new GitCli.Call(args, null, null, remote.config(), remote.env(), remote.redactor(), 1 << 20,
                        null), "git submodule update " + path + " from " + url.display());
            } finally {
                repo.config(key, url.display());
            }
            notes.add("submodule " + path + " from " + url.display());
        }
        return notes;
    }

    Prepared fromBundle(GitRepo repo, WorkspaceSource.Archive a, boolean egress) throws IOException {
        checkSize(a);
        repo.init();
        Path file = repo.gitDir().resolve("incoming.bundle");
        Files.write(file, a.data());
        try {
            GitCli.Result verify = repo.gitQuiet("bundle", "verify", "-q", file.toString());
            if (verify.exit() != 0) {
                throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive " + a.name() + " is not a complete git"
                        + " bundle: " + GitCli.summary(verify.stderr()) + " (create it with `git bundle create"
                        + " repo.bundle HEAD --branches`)");
            }
            Map<String, String> heads = new java.util.LinkedHashMap<>();
            for (String line : repo.git("git bundle list-heads", "bundle", "list-heads", file.toString()).out().split("\n")) {
                String[] f = line.strip().split(" ", 2);
                if (f.length == 2) {
                    heads.put(f[1], f[0]);
                }
            }
            List<String> args = new ArrayList<>(List.of("fetch", "-q", "--no-tags", file.toString()));
            int i = 0;
            for (String ref : heads.keySet()) {
                args.add("+" + ref + ":refs/codetether/bundle/" + (i++));
            }
            repo.run(new GitCli.Call(args, null, null, List.of("protocol.file.allow=always"), Map.of(), Redactor.none(),
                    1 << 20, null), "git fetch from the bundle");
            String head = heads.getOrDefault("HEAD", heads.getOrDefault("refs/heads/main", heads.get("refs/heads/master")));
            if (head == null && heads.size() == 1) {
                head = heads.values().iterator().next();
            }
            if (head == null) {
                throw new WorkspaceException(Code.INVALID_ARGUMENT, "bundle " + a.name() + " has no HEAD (create it"
                        + " with `git bundle create repo.bundle HEAD --branches`)");
            }
            String branch = "";
            for (var e : heads.entrySet()) {
                if (e.getKey().startsWith("refs/heads/") && e.getValue().equals(head)) {
                    branch = e.getKey().substring("refs/heads/".length());
                    break;
                }
            }
            String base = heads.getOrDefault("refs/codetether/worktree", head);
            repo.checkout(base, branch);
            return new Prepared(new WorkspaceInfo("bundle", a.name(), a.key(), "", branch.isEmpty() ? "HEAD" : branch,
                    base, branch, egress, System.currentTimeMillis()), false, 0,
                    base.equals(head) ? List.of() : List.of("the bundle's uncommitted changes (refs/codetether/worktree)"
                            + " are the base"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    Prepared fromTarball(GitRepo repo, WorkspaceSource.Archive a, boolean egress) {
        checkSize(a);
        List<String> notes = tarballs.unpack(a.data(), a.name(), repo.workTree());
        repo.init();
        repo.addAll();
        String base = repo.commit("codetether: workspace from " + a.name(), new Author(settings.authorName(),
                settings.authorEmail()), true);
        repo.git("git update-ref", "update-ref", "refs/codetether/base", base);
        return new Prepared(new WorkspaceInfo("tarball", a.name(), a.key(), "", "archive", base, repo.branch(), egress,
                System.currentTimeMillis()), false, 0, notes);
    }

    Prepared empty(GitRepo repo, boolean egress) {
        repo.init();
        return new Prepared(new WorkspaceInfo("empty", "", "empty", "", "", "", repo.branch(), egress,
                System.currentTimeMillis()), false, 0, List.of());
    }

    private void checkSize(WorkspaceSource.Archive a) {
        if (a.data().length > settings.archiveMaxBytes()) {
            throw new WorkspaceException(Code.TOO_LARGE, "archive " + a.name() + " is " + a.data().length
                    + " bytes; the limit is " + settings.archiveMaxBytes() + " (codetether.tools.archive.max-bytes)");
        }
        if (a.data().length == 0) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive " + a.name() + " is empty");
        }
    }
}
