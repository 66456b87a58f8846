package ring0.conformance.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A working directory in which mutants run, one per worker thread: a couple
 * of small files the programs may open ({@code a.txt}, {@code b.txt}, and the
 * argument files of the seeds), a small stdin, and files for stdout and
 * stderr, overwritten by every run. Each mutant is written, run and deleted.
 */
final class Sandbox implements AutoCloseable {
    private final Path dir, exe, stdin, stdout, stderr;

    /** The environment of a run: {@code RING0_GATE} chooses the stub's gate. */
    static Map<String, String> env(boolean int80) {
        return int80 ? Map.of("RING0_GATE", "int80") : Map.of();
    }

    Sandbox(Path parent, String name) {
        try {
            dir = Files.createDirectories(parent.resolve(name));
            // The child may run as nobody (see NativeRunner): let it in.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            exe = dir.resolve("mutant");
            stdin = dir.resolve("stdin.txt");
            stdout = dir.resolve("stdout.out");
            stderr = dir.resolve("stderr.out");
            Files.writeString(stdin, "one\ntwo three\nHello, World! 42\n");
            resetFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files a run may have changed (a mutant may open them for writing) get their contents back. */
    private void resetFiles() throws IOException {
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.writeString(p, f.getValue());
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
    }

    private static final Map<String, String> FILES = Map.of("a.txt", "alpha\n", "b.txt", "beta\ngamma\n");

    /** Writes {@code elf} as the executable and runs it with {@code args}. */
    NativeRunner.Outcome run(byte[] elf, List<String> args, boolean int80, long timeoutMs) {
        try {
            resetFiles();
            synchronized (NativeRunner.SPAWN_LOCK) {
                Files.deleteIfExists(exe);
                Files.write(exe, elf);
                Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return NativeRunner.run(new NativeRunner.Spec(exe, args, dir, stdin, stdout, stderr, env(int80), timeoutMs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the last run wrote to stderr (at most 400 characters), for reports. */
    String lastStderr() {
        try {
            String s = Files.readString(stderr, StandardCharsets.ISO_8859_1);
            return s.length() > 400 ? s.substring(0, 400) + "..." : s;
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
