package run.codetether.tools.infra.git;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import run.codetether.platform.json.Json;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.git.GitCredential;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.Redactor;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.git.WorkspaceInfo;
import run.codetether.tools.domain.git.WorkspaceResults.Author;
import run.codetether.tools.domain.git.WorkspaceResults.ChangeStats;
import run.codetether.tools.domain.git.WorkspaceResults.Changes;
import run.codetether.tools.domain.git.WorkspaceResults.Committed;
import run.codetether.tools.domain.git.WorkspaceResults.Prepared;
import run.codetether.tools.domain.git.WorkspaceResults.Pushed;
import run.codetether.tools.domain.git.WorkspaceService;
import run.codetether.tools.domain.git.WorkspaceSource;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.domain.workspace.Durable;

/**
 * Workspaces as git checkouts, with the git CLI outside the sandbox. Layout per session: the files in the
 * session's workspace (what the tools and the sandbox see), the git directory at
 * {@code <workspace-root>/.codetether-state/<session>/git} (never writable from the sandbox, which gets it read-only
 * so {@code git log}/{@code git diff} work inside), and {@code workspace.json} beside it (source, base commit,
 * egress flag; no credential). Calls on one session are serialised; different sessions run in parallel.
 */
public final class GitWorkspaces implements WorkspaceService {

    private static final Logger LOG = Logger.getLogger(GitWorkspaces.class);
    private static final Pattern PUSH_BRANCH = Pattern.compile("codetether/[A-Za-z0-9][A-Za-z0-9._/-]{0,120}");
    private static final String RECORD = "workspace.json";

    /** Settings from configuration. */
    public record Settings(int defaultDepth, String authorName, String authorEmail, long archiveMaxBytes,
            long maxDiffBytes, Optional<Path> caFile, Optional<Path> knownHosts, Path tmpRoot, boolean egressDefaultOn) {}

    private final SessionRegistry sessions;
    private final Path stateRoot;
    private final GitCli cli;
    private final HostGate gate;
    private final GitCredentials credentials;
    private final WorkspaceImport imports;
    private final Settings settings;
    private final ObjectMapper json = Json.mapper();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Optional<WorkspaceInfo>> records = new ConcurrentHashMap<>();

    public GitWorkspaces(SessionRegistry sessions, Path stateRoot, GitCli cli, HostGate gate, GitCredentials credentials,
            TarballUnpacker tarballs, Settings settings) {
        this.sessions = sessions;
        this.stateRoot = stateRoot.toAbsolutePath().normalize();
        this.cli = cli;
        this.gate = gate;
        this.credentials = credentials;
        this.imports = new WorkspaceImport(this::access, tarballs, settings);
        this.settings = settings;
    }

    /** The git directory of a session (exists once prepared); the sandbox binds it read-only. */
    public Path gitDir(String sessionId) {
        return stateDir(sessionId).resolve("git");
    }

    private Path stateDir(String sessionId) {
        return stateRoot.resolve(sessionId.replace(':', '_'));
    }

    @Override
    public Prepared prepare(String sessionId, WorkspaceSource source, boolean egress) {
        return locked(sessionId, () -> {
            long t0 = System.nanoTime();
            boolean egressOn = egress || settings.egressDefaultOn();
            Optional<WorkspaceInfo> existing = info(sessionId);
            if (existing.isPresent()) {
                WorkspaceInfo info = existing.get();
                if (!(source instanceof WorkspaceSource.Empty) && !source.key().equals(info.sourceKey())) {
                    throw new WorkspaceException(Code.CONFLICT, "session " + sessionId + " already has a workspace from "
                            + describe(info) + "; a context keeps its workspace (start a new context for another"
                            + " source)");
                }
                if (info.egress() != egressOn) {
                    info = info.withEgress(egressOn);
                    save(sessionId, info);
                }
                return new Prepared(info, true, ms(t0), List.of());
            }
            Path ws = workspace(sessionId);
            GitRepo repo = new GitRepo(cli, gitDir(sessionId), ws);
            Durable.deleteTree(repo.gitDir()); // left over by a prepare that died half-way
            if (Files.exists(ws.resolve(".git"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                // git init would adopt it, and with it config written from inside the sandbox
                throw new WorkspaceException(Code.CONFLICT, "the workspace of session " + sessionId + " already has a"
                        + " .git of its own; remove it or start a new session");
            }
            boolean needsEmpty = !(source instanceof WorkspaceSource.Empty);
            if (needsEmpty && !isEmpty(ws)) {
                throw new WorkspaceException(Code.CONFLICT, "the workspace of session " + sessionId + " already has"
                        + " files; a source can only be brought into a new workspace");
            }
            try {
                Prepared p = switch (source) {
                    case WorkspaceSource.Git g -> imports.fromGit(repo, g, egressOn);
                    case WorkspaceSource.Archive a -> a.bundle() ? imports.fromBundle(repo, a, egressOn)
                            : imports.fromTarball(repo, a, egressOn);
                    case WorkspaceSource.Empty e -> imports.empty(repo, egressOn);
                };
                save(sessionId, p.workspace());
                Prepared done = new Prepared(p.workspace(), false, ms(t0), p.notes());
                LOG.infof("workspace of session %s prepared from %s at %s in %d ms", sessionId, describe(p.workspace()),
                        p.workspace().baseCommit().isEmpty() ? "the empty tree" : p.workspace().baseCommit(),
                        done.durationMs());
                return done;
            } catch (RuntimeException e) {
                Durable.deleteTree(repo.gitDir());
                Files.deleteIfExists(ws.resolve(".git"));
                if (needsEmpty) {
                    emptyDirectory(ws);
                }
                throw e instanceof WorkspaceException we ? we
                        : new WorkspaceException(Code.FAILED, "preparing the workspace failed: "
                                + Redactor.urls(String.valueOf(e.getMessage())));
            }
        });
    }

    @Override
    public Changes changes(String sessionId) {
        return locked(sessionId, () -> {
            WorkspaceInfo info = required(sessionId);
            GitRepo repo = repo(sessionId);
            repo.addAll();
            String base = info.baseCommit().isEmpty() ? GitRepo.EMPTY_TREE : info.baseCommit();
            byte[] diff = repo.stagedPatch(base, settings.maxDiffBytes());
            ChangeStats stats = repo.stats(List.of("--cached", base), info.baseRef(), info.baseCommit());
            return new Changes(diff, stats);
        });
    }

    @Override
    public Committed commit(String sessionId, String message, Author author) {
        if (message == null || message.isBlank()) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "a commit message is required");
        }
        return locked(sessionId, () -> {
            WorkspaceInfo info = required(sessionId);
            return commitLocked(repo(sessionId), info, message, author);
        });
    }

    private Committed commitLocked(GitRepo repo, WorkspaceInfo info, String message, Author author) {
        repo.addAll();
        Optional<String> head = repo.head();
        String parent = head.orElse(GitRepo.EMPTY_TREE);
        if (!repo.stagedDiffers(parent)) {
            return new Committed(false, head.orElse(""), repo.branch(), new ChangeStats(0, 0, 0, info.baseRef(),
                    info.baseCommit()));
        }
        String commit = repo.commit(message, author(author), false);
        ChangeStats stats = repo.stats(List.of(parent, commit), info.baseRef(), info.baseCommit());
        return new Committed(true, commit, repo.branch(), stats);
    }

    @Override
    public Pushed push(String sessionId, String branch, String message, Author author, Optional<String> url) {
        if (branch == null || !PUSH_BRANCH.matcher(branch).matches() || branch.contains("..") || branch.endsWith(".lock")
                || branch.endsWith("/") || branch.contains("//")) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "push branch must be codetether/<name> (letters, digits,"
                    + " '.', '_', '-', '/'), not '" + branch + "'");
        }
        return locked(sessionId, () -> {
            WorkspaceInfo info = required(sessionId);
            String remoteUrl = url.filter(u -> !u.isBlank()).orElse(info.remote());
            if (remoteUrl.isEmpty()) {
                throw new WorkspaceException(Code.INVALID_ARGUMENT, "this workspace came from " + info.kind()
                        + ", not a git remote: give the URL to push to");
            }
            GitUrl target = GitUrl.parse(remoteUrl);
            GitRepo repo = repo(sessionId);
            repo.addAll();
            boolean committed = false;
            if (repo.stagedDiffers(repo.head().orElse(GitRepo.EMPTY_TREE))) {
                if (message == null || message.isBlank()) {
                    throw new WorkspaceException(Code.INVALID_ARGUMENT, "the workspace has uncommitted changes: a commit"
                            + " message is required to push them");
                }
                committed = commitLocked(repo, info, message, author).committed();
            }
            String head = repo.head().orElseThrow(() -> new WorkspaceException(Code.CONFLICT, "nothing to push: the"
                    + " workspace has no commit"));
            try (RemoteAccess remote = access(target)) {
                repo.run(new GitCli.Call(List.of("push", "--porcelain", "--no-verify", remote.url(),
                        "HEAD:refs/heads/" + branch), null, null, remote.config(), remote.env(), remote.redactor(),
                        1 << 20, null), "git push to " + target.display() + " (" + branch + ")");
            }
            LOG.infof("session %s pushed %s to %s as %s", sessionId, head, target.display(), branch);
            return new Pushed(branch, head, target.display(), committed);
        });
    }

    @Override
    public Optional<WorkspaceInfo> info(String sessionId) {
        return records.computeIfAbsent(sessionId, this::load);
    }

    @Override
    public void close(String sessionId, boolean purge) {
        if (!purge) {
            return;
        }
        locked(sessionId, () -> {
            Durable.deleteTree(gitDir(sessionId));
            Files.deleteIfExists(stateDir(sessionId).resolve(RECORD));
            records.remove(sessionId);
            return null;
        });
        locks.remove(sessionId);
    }

    private RemoteAccess access(GitUrl url) {
        HostGate.Decision d = gate.check(url.host(), url.port());
        if (d instanceof HostGate.Refused r) {
            throw new WorkspaceException(Code.REFUSED, "git host refused: " + r.message());
        }
        HostGate.Allowed allowed = (HostGate.Allowed) d;
        if (url.scheme().equals("http") && !allowed.addresses().stream().allMatch(java.net.InetAddress::isLoopbackAddress)) {
            throw new WorkspaceException(Code.REFUSED, "plain http is allowed for loopback only; use https://"
                    + url.host() + url.path());
        }
        Optional<GitCredential> credential = url.inlineCredential().or(() -> credentials.forHost(url.host()));
        return RemoteAccess.open(url, allowed, credential, settings.tmpRoot(), settings.caFile(), settings.knownHosts());
    }

    private Author author(Author a) {
        if (a == null) {
            return new Author(settings.authorName(), settings.authorEmail());
        }
        return new Author(a.name() == null || a.name().isBlank() ? settings.authorName() : a.name().strip(),
                a.email() == null || a.email().isBlank() ? settings.authorEmail() : a.email().strip());
    }

    private WorkspaceInfo required(String sessionId) {
        return info(sessionId).orElseThrow(() -> new WorkspaceException(Code.CONFLICT, "session " + sessionId
                + " has no prepared workspace; call PrepareWorkspace first"));
    }

    private GitRepo repo(String sessionId) {
        return new GitRepo(cli, gitDir(sessionId), workspace(sessionId));
    }

    private Path workspace(String sessionId) {
        try {
            return sessions.get(sessionId).paths().root();
        } catch (ToolException e) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private Optional<WorkspaceInfo> load(String sessionId) {
        Path f = stateDir(sessionId).resolve(RECORD);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(f.toFile(), WorkspaceInfo.class));
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "the workspace record of session " + sessionId + " is unreadable: "
                    + e.getMessage());
        }
    }

    private void save(String sessionId, WorkspaceInfo info) {
        try {
            Durable.writeAtomic(stateDir(sessionId), RECORD, json.writeValueAsBytes(info));
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot save the workspace record: " + e.getMessage());
        }
        records.put(sessionId, Optional.of(info));
    }

    private static String describe(WorkspaceInfo info) {
        return info.kind().equals("empty") ? "an empty workspace" : info.kind() + " " + info.source();
    }

    /** Runs under the session's lock; checked I/O failures become FAILED. */
    private <T> T locked(String sessionId, IoSupplier<T> body) {
        try {
            SessionRegistry.checkId(sessionId);
        } catch (ToolException e) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, e.getMessage());
        }
        ReentrantLock lock = locks.computeIfAbsent(sessionId, k -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "workspace I/O failed: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Durable.deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
