package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.kernel.fs.Fx.b;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways {@code open} reaches the host (through {@code openat2}, and by
 * path after the walk on hosts without it) give the same answer for every
 * path and flags: the same errno, or the same object (by its name in its own
 * copy of the tree), and the same files created. Two identical hostile trees,
 * one per way, get the same random opens.
 */
class OpenModesAgreeTest {
    @TempDir Path base;

    @Test
    void randomOpensAgree() throws IOException {
        Path rootA = tree(base.resolve("a")), rootB = tree(base.resolve("b"));
        try (PageCache cacheA = new PageCache(1 << 20); PageCache cacheB = new PageCache(1 << 20)) {
            Vfs direct = new Vfs(rootA, cacheA, true), walked = new Vfs(rootB, cacheB, false);
            assertThat(walked.usesOpenat2()).isFalse();
            FdTable ta = Fx.table(direct), tb = Fx.table(walked);
            String[] parts = {"..", ".", "", "a", "b", "c.txt", "up", "updir", "d", "back", "deep", "loop1", "dangle-in",
                "dangle-out", "dev", "null", "zero", "outside", "new", "x", "file", "tofile", "empty"};
            int[] flags = {OpenFlags.O_RDONLY, OpenFlags.O_WRONLY, OpenFlags.O_RDWR, OpenFlags.O_WRONLY | OpenFlags.O_CREAT,
                OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW,
                OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, OpenFlags.O_WRONLY | OpenFlags.O_TRUNC,
                OpenFlags.O_RDONLY | OpenFlags.O_CREAT, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_NOFOLLOW};
            Random rnd = new Random(7);
            int opened = 0, plain = 0;
            HostNames names = HostNames.platform();
            for (int i = 0; i < 4000; i++) {
                StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "/" : "");
                int n = 1 + rnd.nextInt(5);
                for (int k = 0; k < n; k++) {
                    if (k > 0) sb.append('/');
                    sb.append(parts[rnd.nextInt(parts.length)]);
                }
                if (rnd.nextInt(10) == 0) sb.append('/');
                byte[] path = b(sb.toString());
                int f = flags[rnd.nextInt(flags.length)];
                if (PlainPath.test(path, names)) plain++;
                String a = outcome(ta, rootA, path, f), w = outcome(tb, rootB, path, f);
                assertThat(a).as("open %s flags %o", sb, f).isEqualTo(w);
                if (!a.startsWith("E")) opened++;
            }
            assertThat(opened).as("some paths open").isGreaterThan(300);
            assertThat(plain).as("some paths are plain").isGreaterThan(300);
            assertThat(names(rootA)).as("the same files created").isEqualTo(names(rootB));
            ta.closeAll();
            tb.closeAll();
        }
    }

    /** The errno's name, or what was opened: its name under {@code root}, or the device. */
    private static String outcome(FdTable t, Path root, byte[] path, int flags) throws IOException {
        long fd = t.open(path, flags, 0644);
        if (fd < 0) return Errno.name((int) -fd);
        Stat st = Fx.fstat(t, (int) fd);
        assertThat(t.close(fd)).isZero();
        if (st.dev() == 0) return "kernel object " + Integer.toOctalString(st.mode()) + " " + st.rdev();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if ((Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS) == st.ino()) {
                    return "/" + root.relativize(p);
                }
            }
        }
        return "not under the root: " + st.ino();
    }

    private static TreeMap<String, String> names(Path root) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String kind = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p) ? "dir" : "file";
                m.put(root.relativize(p).toString(), kind);
            }
        }
        return m;
    }

    /** The hostile tree of {@link VfsEscapeTest}, less the links to absolute host paths, at {@code dir/root}. */
    private static Path tree(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/sentinel.txt"), "do not touch");
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("a/b/c.txt"), "inside");
        Files.writeString(root.resolve("file"), "file");
        List<String[]> links = new ArrayList<>(List.of(
            new String[] {"up", "../outside/sentinel.txt"}, new String[] {"updir", "../outside"},
            new String[] {"a/deep", "../../../outside"}, new String[] {"loop1", "loop2"},
            new String[] {"loop2", "loop1"}, new String[] {"d", "a/b"}, new String[] {"a/b/back", "../../a/b/c.txt"},
            new String[] {"dangle-out", "../outside/new.txt"}, new String[] {"dangle-in", "a/made-by-link.txt"},
            new String[] {"tofile", "/file"}, new String[] {"a/x", "/dev/null"}));
        for (String[] l : links) Files.createSymbolicLink(root.resolve(l[0]), Path.of(l[1]));
        return root;
    }
}
