package ring0.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one benchmark run: the executables, the files the
 * programs read and write, and the root of the kernel's file system. It is
 * deleted, with everything in it, on close.
 */
final class Workspace implements AutoCloseable {
    private final Path dir;

    private Workspace(Path dir) { this.dir = dir; }

    /**
     * Creates {@code ring0-bench-*} inside {@code parent} (the system's
     * temporary directory if null).
     */
    static Workspace create(Path parent) throws BenchException {
        try {
            Path d = parent == null ? Files.createTempDirectory("ring0-bench-") : Files.createTempDirectory(parent, "ring0-bench-");
            return new Workspace(d.toRealPath());
        } catch (IOException e) {
            throw new BenchException("cannot create a directory in " + (parent == null ? "the temporary directory" : parent)
                    + ": " + e.getMessage());
        }
    }

    /** The directory. */
    Path dir() { return dir; }

    /** Writes a file of {@code size} bytes (a repeating pattern) named {@code name}. */
    Path file(String name, int size) throws BenchException {
        Path f = dir.resolve(name);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) ('a' + i % 26);
        try {
            return Files.write(f, b);
        } catch (IOException e) {
            throw new BenchException("cannot write " + f + ": " + e.getMessage());
        }
    }

    /** Deletes the directory and everything in it; failures are ignored (it is a temporary directory). */
    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // left behind in the temporary directory
        }
    }
}
