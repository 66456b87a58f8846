package ring0.kernel.fs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test fixtures: byte helpers, tables with captured streams, snapshots of host trees. */
final class Fx {
    private Fx() {}

    /** Whether the host kernel is Linux 5.6 or later, which has {@code openat2}. */
    static boolean hostHasOpenat2() {
        String[] v = System.getProperty("os.version").split("[.-]");
        int major = Integer.parseInt(v[0]), minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
        return major > 5 || major == 5 && minor >= 6;
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static MemorySegment seg(byte[] a) { return MemorySegment.ofArray(a); }

    static byte[] random(long seed, int n) {
        byte[] a = new byte[n];
        new Random(seed).nextBytes(a);
        return a;
    }

    /** A table whose standard streams are in memory. */
    record Proc(FdTable fds, ByteArrayOutputStream out, ByteArrayOutputStream err) {}

    static Proc proc(Vfs vfs, byte[] stdin) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        return new Proc(new FdTable(vfs, new StdStreams(new ByteArrayInputStream(stdin), out, err)), out, err);
    }

    static FdTable table(Vfs vfs) { return proc(vfs, new byte[0]).fds(); }

    /** Opens or fails the test. */
    static int open(FdTable t, String path, int flags) {
        long fd = t.open(b(path), flags, 0644);
        if (fd < 0) throw new AssertionError("open " + path + ": " + Errno.name((int) -fd));
        return (int) fd;
    }

    /** Reads the whole rest of {@code fd} in chunks of {@code chunk} bytes. */
    static byte[] readAll(FdTable t, int fd, int chunk) {
        var out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        while (true) {
            long n = t.read(fd, seg(buf), 0, chunk);
            if (n < 0) throw new AssertionError("read: " + Errno.name((int) -n));
            if (n == 0) return out.toByteArray();
            out.write(buf, 0, (int) n);
        }
    }

    /** Writes all of {@code data} in chunks of {@code chunk} bytes. */
    static void writeAll(FdTable t, int fd, byte[] data, int chunk) {
        for (int at = 0; at < data.length; ) {
            int n = Math.min(chunk, data.length - at);
            long w = t.write(fd, seg(data), at, n);
            if (w != n) throw new AssertionError("write returned " + w + " for " + n);
            at += n;
        }
    }

    static Stat fstat(FdTable t, int fd) {
        byte[] buf = new byte[Stat.SIZE];
        long r = t.fstat(fd, seg(buf), 0);
        if (r != 0) throw new AssertionError("fstat: " + Errno.name((int) -r));
        return Stat.decode(seg(buf), 0);
    }

    /**
     * Everything under {@code dir} except the subtree {@code skip}: path →
     * kind, size, mtime, content hash (links: their target). Comparing two
     * snapshots shows whether anything was created, removed or modified.
     */
    static Map<String, String> snapshot(Path dir, Path skip) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.startsWith(skip)) continue;
                String v;
                if (Files.isSymbolicLink(p)) v = "link " + Files.readSymbolicLink(p);
                else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) v = "dir";
                else v = "file " + Files.size(p) + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                        + " " + java.util.Arrays.hashCode(Files.readAllBytes(p));
                m.put(dir.relativize(p).toString(), v);
            }
        }
        return m;
    }
}
