package ring0.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** File reading and writing with one-line, user-facing error messages. */
final class FileIo {
    private FileIo() {}

    /** The last component of {@code path} (the whole path if it has none), for messages. */
    static String fileName(Path path) {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }

    /** The name a program runs under (its argument 0): {@link #fileName} without a {@code .tal} suffix. */
    static String programName(Path path) {
        String name = fileName(path);
        return name.endsWith(".tal") && name.length() > 4 ? name.substring(0, name.length() - 4) : name;
    }

    /** Reads a whole file; a missing, unreadable or non-regular file is a usage error. */
    static byte[] readBytes(Path path) throws CliException {
        requireRegularFile(path);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw CliException.usage("cannot read '" + path + "': " + describe(e));
        }
    }

    /** Reads a whole file as UTF-8 text; text that is not UTF-8 is rejected input. */
    static String readText(Path path) throws CliException {
        byte[] bytes = readBytes(path);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CliException.rejected("'" + path + "' is not UTF-8 text");
        }
    }

    /**
     * Writes {@code bytes} to {@code path} and makes it executable by everyone
     * who may read it, like {@code chmod +x}. A regular file is written through
     * a temporary file in the same directory (so a failed write never leaves a
     * half-written executable) and renamed over the target; a symbolic link is
     * followed, and a device or pipe is written directly.
     */
    static void writeExecutable(Path path, byte[] bytes) throws CliException {
        if (Files.isDirectory(path)) throw CliException.usage("cannot write '" + path + "': it is a directory");
        try {
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                Files.write(path, bytes);
                return;
            }
            Path target = Files.exists(path) ? path.toRealPath() : path.toAbsolutePath();
            Path dir = target.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw CliException.usage("cannot write '" + path + "': directory '" + dir + "' does not exist");
            }
            replace(target, bytes);
        } catch (IOException e) {
            throw CliException.usage("cannot write '" + path + "': " + describe(e));
        }
    }

    private static void replace(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            makeExecutable(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) return; // not a POSIX file system: nothing to mark
        Set<PosixFilePermission> perms = EnumSet.copyOf(view.readAttributes().permissions());
        // Temporary files are created owner-only; give the usual 0755-style access.
        perms.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
        view.setPermissions(perms);
    }

    private static void requireRegularFile(Path path) throws CliException {
        if (Files.isDirectory(path)) throw CliException.usage("cannot read '" + path + "': it is a directory");
        if (!Files.exists(path)) throw CliException.usage("cannot read '" + path + "': no such file");
    }

    /** A short reason for an I/O failure, without the path the caller already shows. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return fs.getReason();
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
