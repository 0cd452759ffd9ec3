package run.codetether.tools.domain.workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;

/**
 * File access for the tools: strict UTF-8 text reads with a size cap, atomic writes (temp file + rename in the
 * same directory, so a reader never sees half a file), and all-or-nothing multi-file commits with rollback.
 */
public final class FileStore {

    private final long maxTextBytes;

    public FileStore(long maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
    }

    public long maxTextBytes() {
        return maxTextBytes;
    }

    public byte[] readBytesOrNull(Path p) {
        try {
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot read " + p.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The file as UTF-8 text; refuses directories, binaries and files above the cap with a clear reason. */
    public String readText(Path p, String shown) {
        if (!Files.exists(p)) {
            throw new ToolException(Code.NOT_FOUND, "file not found: " + shown);
        }
        if (Files.isDirectory(p)) {
            throw ToolException.invalid(shown + " is a directory; use list_dir");
        }
        try {
            long size = Files.size(p);
            if (size > maxTextBytes) {
                throw new ToolException(Code.TOO_LARGE, shown + " is " + size + " bytes, above the " + maxTextBytes
                        + "-byte limit for text tools; use grep or bash (head/sed) to look at parts of it");
            }
            return decode(Files.readAllBytes(p), shown);
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot read " + shown + ": " + e.getMessage(), e);
        }
    }

    public static String decode(byte[] bytes, String shown) {
        if (looksBinary(bytes)) {
            throw ToolException.invalid(shown + " is a binary file (" + bytes.length
                    + " bytes); text tools cannot show or edit it (use image for pictures)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ToolException.invalid(shown + " is not valid UTF-8 text; text tools cannot edit it");
        }
    }

    /** A NUL byte in the first 8 KiB marks a file as binary, as git and grep decide. */
    public static boolean looksBinary(byte[] bytes) {
        int n = Math.min(bytes.length, 8192);
        for (int i = 0; i < n; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    public void writeAtomic(Path p, byte[] content) {
        try {
            Path dir = p.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + p.getFileName() + ".", ".tmp");
            try {
                Files.write(tmp, content);
                // Keep the mode of the file being replaced (an edited script stays executable); new files get 644.
                Files.setPosixFilePermissions(tmp, Files.exists(p) ? Files.getPosixFilePermissions(p)
                        : PosixFilePermissions.fromString("rw-r--r--"));
                try {
                    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ToolException(Code.IO_ERROR, "cannot write " + p.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Restores a snapshot: rewrites the old bytes or deletes a file that did not exist before. */
    public void restore(FileSnapshot s) {
        if (s.before() == null) {
            try {
                Files.deleteIfExists(s.path());
            } catch (IOException e) {
                throw new ToolException(Code.IO_ERROR, "cannot delete " + s.path().getFileName(), e);
            }
        } else {
            writeAtomic(s.path(), s.before());
        }
    }

    /**
     * Writes every file or none (a {@code null} content deletes the file): snapshots first, then atomic writes; a failure part-way restores the files
     * already written and rethrows. Returns the snapshots (for undo).
     */
    public List<FileSnapshot> commit(Map<Path, byte[]> changes) {
        List<FileSnapshot> snapshots = new ArrayList<>();
        for (Path p : changes.keySet()) {
            snapshots.add(new FileSnapshot(p, readBytesOrNull(p)));
        }
        List<FileSnapshot> written = new ArrayList<>();
        try {
            for (FileSnapshot s : snapshots) {
                byte[] content = changes.get(s.path());
                if (content == null) {
                    restore(new FileSnapshot(s.path(), null)); // null content deletes the file
                } else {
                    writeAtomic(s.path(), content);
                }
                written.add(s);
            }
        } catch (RuntimeException e) {
            for (FileSnapshot s : written.reversed()) {
                try {
                    restore(s);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return snapshots;
    }
}
