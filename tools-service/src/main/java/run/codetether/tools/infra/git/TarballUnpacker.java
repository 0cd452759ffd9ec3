package run.codetether.tools.infra.git;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;

/**
 * Unpacks a .tar.gz into an empty workspace, refusing anything that could reach outside it or the host: absolute
 * names and {@code ..} that leave it, symbolic links whose target leaves it, hard links to anything but an earlier
 * regular file of the same archive, entries written through a link, device files and FIFOs. Limits: unpacked bytes
 * and entry count (a small gzip can expand a thousand-fold). Modes keep only the owner's execute bit (no setuid,
 * nothing world-writable). A top-level {@code .git} is skipped: history travels as a git bundle.
 */
public final class TarballUnpacker {

    private final long maxUnpackedBytes;
    private final int maxEntries;

    public TarballUnpacker(long maxUnpackedBytes, int maxEntries) {
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxEntries = maxEntries;
    }

    /** Unpacks; returns notes (skipped entries). On any refusal throws, and the caller empties the workspace. */
    List<String> unpack(byte[] gz, String name, Path workspace) {
        Path root = workspace.toAbsolutePath().normalize();
        List<String> notes = new ArrayList<>();
        long total = 0;
        int count = 0;
        boolean skippedGit = false;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 64 * 1024);
                TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++count > maxEntries) {
                    throw new WorkspaceException(Code.TOO_LARGE, "archive " + name + " has more than " + maxEntries
                            + " entries (codetether.tools.archive.max-entries)");
                }
                String entry = e.getName();
                Path target = inside(root, entry);
                if (target == null) {
                    continue; // "./" itself
                }
                Path rel = root.relativize(target);
                if (rel.getName(0).toString().equals(".git")) {
                    skippedGit = true;
                    continue;
                }
                checkParents(root, target, entry);
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw refused(name, entry, "is a device file, FIFO or other special file");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    String link = e.getLinkName();
                    Path resolved = target.getParent().resolve(link).normalize();
                    if (Path.of(link).isAbsolute() || !resolved.startsWith(root)) {
                        throw refused(name, entry, "is a symbolic link to '" + link + "', outside the workspace");
                    }
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(link));
                } else if (e.isLink()) {
                    Path source = inside(root, e.getLinkName());
                    if (source == null || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        throw refused(name, entry, "is a hard link to '" + e.getLinkName()
                                + "', which is not an earlier file of the archive");
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    total += Files.size(target);
                } else if (regular(e)) {
                    Files.createDirectories(target.getParent());
                    if (Files.isSymbolicLink(target)) {
                        throw refused(name, entry, "would be written through a symbolic link");
                    }
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        byte[] buf = new byte[64 * 1024];
                        int n;
                        while ((n = tar.read(buf)) >= 0) {
                            total += n;
                            if (total > maxUnpackedBytes) {
                                throw new WorkspaceException(Code.TOO_LARGE, "archive " + name + " unpacks to more"
                                        + " than " + maxUnpackedBytes + " bytes (codetether.tools.archive"
                                        + ".max-unpacked-bytes)");
                            }
                            out.write(buf, 0, n);
                        }
                    }
                    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
                    if ((e.getMode() & 0100) != 0) {
                        perms.addAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                                PosixFilePermission.OTHERS_EXECUTE));
                    }
                    Files.setPosixFilePermissions(target, perms);
                } else {
                    throw refused(name, entry, "is a device file, FIFO or other special file");
                }
            }
        } catch (WorkspaceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive " + name + " is not a valid .tar.gz: "
                    + e.getMessage());
        }
        if (skippedGit) {
            notes.add("the archive's .git directory was not unpacked (send a git bundle to bring history)");
        }
        return notes;
    }

    /** Only the regular-file types of tar; commons-compress calls anything that is not a directory a file. */
    private static boolean regular(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == org.apache.commons.compress.archivers.tar.TarConstants.LF_NORMAL
                || f == org.apache.commons.compress.archivers.tar.TarConstants.LF_OLDNORM
                || f == org.apache.commons.compress.archivers.tar.TarConstants.LF_CONTIG;
    }

    /** The entry's path inside root, null for the root itself; throws when it leaves root. */
    private static Path inside(Path root, String entry) {
        if (entry.startsWith("/") || entry.contains("\0") || entry.contains("\\")) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive entry '" + entry + "' has an absolute or"
                    + " unsafe name");
        }
        Path p = root.resolve(entry).normalize();
        if (!p.startsWith(root)) {
            throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive entry '" + entry + "' leaves the workspace"
                    + " (path traversal)");
        }
        return p.equals(root) ? null : p;
    }

    /** No directory between root and the entry may be a symbolic link: nothing is written through a link. */
    private static void checkParents(Path root, Path target, String entry) {
        for (Path p = target.getParent(); p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new WorkspaceException(Code.INVALID_ARGUMENT, "archive entry '" + entry
                        + "' would be written through the symbolic link '" + root.relativize(p) + "'");
            }
        }
    }

    private static WorkspaceException refused(String name, String entry, String why) {
        return new WorkspaceException(Code.INVALID_ARGUMENT, "archive " + name + ": entry '" + entry + "' " + why
                + "; nothing was unpacked");
    }
}
