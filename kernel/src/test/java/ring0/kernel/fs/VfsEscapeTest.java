package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.kernel.fs.Fx.b;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile paths: every attempt to leave the root either resolves inside it or
 * fails with the expected errno, and nothing outside the root is opened,
 * created or changed (a sentinel tree beside the root is compared before and
 * after every test).
 */
class VfsEscapeTest {
    @TempDir Path base;
    Path root, outside, sentinel;
    Vfs vfs;
    PageCache cache;
    FdTable fds;
    Map<String, String> before;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
        sentinel = Files.writeString(outside.resolve("sentinel.txt"), "do not touch");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/c.txt"), "inside");
        Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../outside/sentinel.txt"));
        Files.createSymbolicLink(root.resolve("updir"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("a/deep"), Path.of("../../../outside"));
        Files.createSymbolicLink(root.resolve("hostabs"), outside);
        Files.createSymbolicLink(root.resolve("slashdotdot"), Path.of("/../outside/sentinel.txt"));
        Files.createSymbolicLink(root.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(root.resolve("d"), Path.of("a/b"));
        Files.createSymbolicLink(root.resolve("a/b/back"), Path.of("../../a/b/c.txt"));
        Files.createSymbolicLink(root.resolve("toroot"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("dangle-out"), Path.of("../outside/new.txt"));
        Files.createSymbolicLink(root.resolve("dangle-in"), Path.of("a/made-by-link.txt"));
        cache = new PageCache(1 << 20);
        vfs = newVfs(root, cache);
        fds = Fx.table(vfs);
        before = Fx.snapshot(base, root);
    }

    /** The file system under test: opens through {@code openat2} here, by path after the walk in {@link VfsEscapeWalkTest}. */
    Vfs newVfs(Path root, PageCache cache) throws IOException {
        Vfs v = new Vfs(root, cache);
        assertThat(v.usesOpenat2()).as("openat2 on Linux %s", System.getProperty("os.version"))
                .isEqualTo(Fx.hostHasOpenat2());
        return v;
    }

    @AfterEach
    void nothingOutsideChanged() throws IOException {
        fds.closeAll();
        cache.close();
        assertThat(Fx.snapshot(base, root)).as("the tree outside the root").isEqualTo(before);
        assertThat(Files.readString(sentinel)).isEqualTo("do not touch");
        // Links to outside the temporary directory make JUnit's clean-up warn: remove them first.
        Files.delete(root.resolve("passwd"));
        Files.delete(root.resolve("toroot"));
    }

    private int errno(Resolution r) {
        return r instanceof Resolution.Failed f ? f.errno() : 0;
    }

    /** Opens read-only and returns the errno, or checks the file opened is inside the root and returns 0. */
    private int openErrno(String path, int flags) throws IOException {
        return openErrno(b(path), flags);
    }

    private int openErrno(byte[] path, int flags) throws IOException {
        long fd = fds.open(path, flags, 0644);
        if (fd < 0) return (int) -fd;
        Stat st = Fx.fstat(fds, (int) fd);
        // Kernel devices and the virtual /dev have st_dev 0; everything else must be a host object in the root.
        if (st.dev() != 0) assertThat(inodesUnderRoot()).contains(st.ino());
        assertThat(st.ino()).isNotEqualTo(inode(sentinel)).isNotEqualTo(inode(outside));
        assertThat(fds.close(fd)).isZero();
        return 0;
    }

    private Set<Long> inodesUnderRoot() throws IOException {
        Set<Long> s = new HashSet<>();
        try (Stream<Path> w = Files.walk(root)) {
            for (Path p : (Iterable<Path>) w::iterator) s.add(inode(p));
        }
        return s;
    }

    private static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private void assertInside(Resolution r) throws IOException {
        Path p = switch (r) {
            case Resolution.Host h -> h.path();
            case Resolution.Absent a -> a.path();
            default -> null;
        };
        if (p == null) return;
        assertThat(p.normalize()).isEqualTo(p).startsWithRaw(root);
        if (!p.equals(root)) assertThat(p.getParent().toRealPath()).startsWithRaw(root);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "..|0", "/..|0", "/../..|0", "../../..|0", "/../../../../..|0", "a/../../..|0",
        "../outside/sentinel.txt|ENOENT", "/../outside/sentinel.txt|ENOENT",
        "a/b/../../../../outside/sentinel.txt|ENOENT", "../root/a/b/c.txt|ENOENT",
        "../../a/b/c.txt|0", "/..//../a/./b/c.txt|0",
        "passwd|ENOENT", "up|EACCES", "updir/sentinel.txt|EACCES", "updir|EACCES",
        "a/deep/sentinel.txt|EACCES", "hostabs/sentinel.txt|ENOENT", "slashdotdot|EACCES",
        "loop1|ELOOP", "self|ELOOP", "self/x|ELOOP",
        "d/c.txt|0", "a/b/back|0", "toroot/a/b/c.txt|0", "toroot/..|0", "d/../../..|0",
        "dangle-out|EACCES", "dangle-in|ENOENT",
        "a/b/c.txt/|ENOTDIR", "a/b/c.txt/.|ENOTDIR", "a/b/c.txt/..|ENOTDIR", "a/b/c.txt/x|ENOTDIR",
        "missing/x|ENOENT", "missing/..|ENOENT", ".|0", "./././|0", "//a///b//c.txt|0", "a/./b/./c.txt|0",
        "...|ENOENT", "a/b/c.txt|0",
    })
    void hostilePathsStayInside(String path, String expected) throws IOException {
        int want = expected.equals("0") ? 0 : errnoByName(expected);
        Resolution r = vfs.resolve(b(path));
        assertInside(r);
        int got = errno(r);
        if (got == 0 && r instanceof Resolution.Absent) got = Errno.ENOENT;
        assertThat(Errno.name(got)).as("resolve %s -> %s", path, r).isEqualTo(Errno.name(want));
        assertThat(Errno.name(openErrno(path, OpenFlags.O_RDONLY))).as("open %s", path).isEqualTo(Errno.name(want));
    }

    @Test
    void symlinkToEtcPasswdMeansTheRootsEtcPasswd() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "fake");
        int fd = Fx.open(fds, "passwd", OpenFlags.O_RDONLY);
        assertThat(new String(Fx.readAll(fds, fd, 100))).isEqualTo("fake");
        assertThat(openErrno("/etc/passwd", OpenFlags.O_RDONLY)).isZero();
    }

    @Test
    void creatingThroughEscapesFailsAndCreatesNothing() throws IOException {
        int w = OpenFlags.O_WRONLY | OpenFlags.O_CREAT;
        assertThat(openErrno("dangle-out", w)).isEqualTo(Errno.EACCES);
        assertThat(openErrno("updir/new.txt", w)).isEqualTo(Errno.EACCES);
        assertThat(openErrno("a/deep/new.txt", w)).isEqualTo(Errno.EACCES);
        assertThat(openErrno("../outside/new.txt", w)).isEqualTo(Errno.ENOENT);
        assertThat(openErrno("up", w | OpenFlags.O_TRUNC)).isEqualTo(Errno.EACCES);
        assertThat(openErrno("up", w | OpenFlags.O_EXCL)).isEqualTo(Errno.EEXIST);
        assertThat(openErrno("hostabs/sentinel.txt", w | OpenFlags.O_TRUNC)).isEqualTo(Errno.ENOENT);
        // ".." clamps: this creates in the root, not beside it.
        assertThat(openErrno("../../clamped.txt", w)).isZero();
        assertThat(root.resolve("clamped.txt")).exists();
        assertThat(base.resolve("clamped.txt")).doesNotExist();
        // A dangling link that stays inside creates its target, as Linux does.
        assertThat(openErrno("dangle-in", w)).isZero();
        assertThat(root.resolve("a/made-by-link.txt")).exists();
    }

    @Test
    void noFollowAndExclDoNotFollowTheLastLink() throws IOException {
        assertThat(openErrno("a/b/back", OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW)).isEqualTo(Errno.ELOOP);
        assertThat(openErrno("d/c.txt", OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW)).isZero();
        assertThat(openErrno("dangle-in", OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL)).isEqualTo(Errno.EEXIST);
        assertThat(root.resolve("a/made-by-link.txt")).doesNotExist();
        assertThat(vfs.resolve(b("up"), false)).isEqualTo(new Resolution.Host(root.resolve("up"), Resolution.Kind.SYMLINK));
    }

    @Test
    void fortyLinksAreFineTheFortyFirstIsALoop() throws IOException {
        Files.createSymbolicLink(root.resolve("chain0"), Path.of("a/b/c.txt"));
        for (int i = 1; i <= 40; i++) Files.createSymbolicLink(root.resolve("chain" + i), Path.of("chain" + (i - 1)));
        assertThat(openErrno("chain39", OpenFlags.O_RDONLY)).isZero(); // 40 links
        assertThat(openErrno("chain40", OpenFlags.O_RDONLY)).isEqualTo(Errno.ELOOP); // 41 links
    }

    @Test
    void longNames() throws IOException {
        String n255 = "x".repeat(255), n256 = "x".repeat(256);
        assertThat(errno(vfs.resolve(b("a/" + n255 + "/y")))).isEqualTo(Errno.ENOENT);
        assertThat(errno(vfs.resolve(b("a/" + n256)))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(openErrno("a/" + n256, OpenFlags.O_WRONLY | OpenFlags.O_CREAT)).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(openErrno("a/" + n255, OpenFlags.O_WRONLY | OpenFlags.O_CREAT)).isZero();
        // 4095 bytes is the longest path; 4096 is too long even if it would resolve.
        String p4095 = "./".repeat(2041) + "a/b/c.txt";
        assertThat(b(p4095)).hasSize(4091);
        String exact = "/".repeat(4095 - 9) + "a/b/c.txt";
        assertThat(b(exact)).hasSize(4095);
        assertThat(openErrno(exact, OpenFlags.O_RDONLY)).isZero();
        assertThat(openErrno("/" + exact, OpenFlags.O_RDONLY)).isEqualTo(Errno.ENAMETOOLONG);
        // A link whose target has an overlong component.
        Files.createSymbolicLink(root.resolve("longlink"), Path.of(n256));
        assertThat(openErrno("longlink", OpenFlags.O_RDONLY)).isEqualTo(Errno.ENAMETOOLONG);
    }

    @Test
    void nulCutsThePath() throws IOException {
        assertThat(openErrno(b("a/b/c.txt\0/../../../outside/sentinel.txt"), OpenFlags.O_RDONLY)).isZero();
        assertThat(openErrno(b("\0a/b/c.txt"), OpenFlags.O_RDONLY)).isEqualTo(Errno.ENOENT);
        assertThat(openErrno(b(""), OpenFlags.O_RDONLY)).isEqualTo(Errno.ENOENT);
        assertThat(openErrno(b("new\0.txt"), OpenFlags.O_WRONLY | OpenFlags.O_CREAT)).isZero();
        assertThat(root.resolve("new")).exists();
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".txt") && n.startsWith("new"));
        }
        // Bytes after the NUL do not count towards the length limit.
        byte[] longTail = Arrays.copyOf(b("a/b/c.txt"), 10_000);
        assertThat(openErrno(longTail, OpenFlags.O_RDONLY)).isZero();
    }

    @Test
    void oddButLegalNamesStayInside() throws IOException {
        int c = OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL;
        for (String name : new String[] {"...", "....", ". .", "-", "~", "back\\slash", "new\nline", "\u0001ctl",
                "\u007f", "ünïcødé-日本語-🙂.txt", " ", "*", "$HOME"}) {
            assertThat(openErrno(name, c)).as(name).isZero();
            assertThat(root.resolve(name)).as(name).isRegularFile();
            assertThat(openErrno(name, c)).as(name).isEqualTo(Errno.EEXIST);
            assertThat(openErrno("a/../" + name, OpenFlags.O_RDONLY)).as(name).isZero();
        }
    }

    @Test
    void bytesTheHostCannotSpellAreRefusedNotAliased() throws IOException {
        // 0xff is not UTF-8; decoding it leniently would alias U+FFFD or '?'.
        Files.writeString(root.resolve("\uFFFD"), "replacement");
        Files.writeString(root.resolve("?"), "question");
        for (byte[] name : new byte[][] {{(byte) 0xff}, {'a', (byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}}) {
            assertThat(openErrno(name, OpenFlags.O_RDONLY)).isEqualTo(Errno.EILSEQ);
            assertThat(openErrno(name, OpenFlags.O_WRONLY | OpenFlags.O_CREAT)).isEqualTo(Errno.EILSEQ);
        }
        assertThat(Files.readString(root.resolve("\uFFFD"))).isEqualTo("replacement");
        assertThat(Files.readString(root.resolve("?"))).isEqualTo("question");
    }

    @Test
    void devicesExistWhateverTheRootHolds() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/null"), "a regular file called null");
        Files.writeString(root.resolve("dev/other"), "other");
        assertThat(vfs.resolve(b("/dev/null"))).isEqualTo(new Resolution.Dev(Device.NULL));
        assertThat(vfs.resolve(b("dev/../dev/./zero"))).isEqualTo(new Resolution.Dev(Device.ZERO));
        assertThat(vfs.resolve(b("toroot/dev/stdin"))).isEqualTo(new Resolution.Dev(Device.STDIN));
        assertThat(vfs.resolve(b("/../dev//stdout"))).isEqualTo(new Resolution.Dev(Device.STDOUT));
        assertThat(vfs.resolve(b("/dev/stderr"))).isEqualTo(new Resolution.Dev(Device.STDERR));
        assertThat(errno(vfs.resolve(b("/dev/null/")))).isEqualTo(Errno.ENOTDIR);
        assertThat(errno(vfs.resolve(b("/dev/null/x")))).isEqualTo(Errno.ENOTDIR);
        assertThat(vfs.resolve(b("/dev/other"))).isEqualTo(new Resolution.Host(root.resolve("dev/other"), Resolution.Kind.REGULAR));
        assertThat(Fx.fstat(fds, Fx.open(fds, "/dev/null", OpenFlags.O_RDWR)).rdev()).isEqualTo(Stat.makedev(1, 3));
        assertThat(Files.readString(root.resolve("dev/null"))).isEqualTo("a regular file called null");
    }

    @Test
    void devIsVirtualWhenTheRootsDevIsALinkOutside() throws IOException {
        Files.createSymbolicLink(root.resolve("dev"), Path.of("../outside"));
        assertThat(vfs.resolve(b("/dev/zero"))).isEqualTo(new Resolution.Dev(Device.ZERO));
        assertThat(errno(vfs.resolve(b("/dev/sentinel.txt")))).isEqualTo(Errno.ENOENT);
        assertThat(openErrno("/dev/sentinel.txt", OpenFlags.O_WRONLY | OpenFlags.O_CREAT)).isEqualTo(Errno.ENOENT);
        assertThat(vfs.resolve(b("/dev"))).isEqualTo(new Resolution.DevDir());
        assertThat(openErrno("/dev", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY)).isZero();
        assertThat(openErrno("/dev/..", OpenFlags.O_RDONLY)).isZero();
    }

    /**
     * Random paths over the names of the hostile tree, opened with random
     * flags: whatever happens, the result is inside the root (checked by
     * inode) and the tree outside is untouched ({@link #nothingOutsideChanged}).
     */
    @Test
    void randomPathsNeverLeave() throws IOException {
        String[] parts = {"..", ".", "", "a", "b", "c.txt", "up", "updir", "passwd", "hostabs", "toroot", "d",
            "back", "deep", "loop1", "dangle-out", "dangle-in", "dev", "null", "outside", "sentinel.txt", "root", "new"};
        int[] flags = {OpenFlags.O_RDONLY, OpenFlags.O_WRONLY | OpenFlags.O_CREAT, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL,
            OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, OpenFlags.O_WRONLY | OpenFlags.O_TRUNC};
        Random rnd = new Random(42);
        int opened = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "/" : "");
            int n = 1 + rnd.nextInt(7);
            for (int k = 0; k < n; k++) {
                if (k > 0) sb.append('/');
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            if (rnd.nextInt(8) == 0) sb.append('/');
            String path = sb.toString();
            assertInside(vfs.resolve(b(path), rnd.nextBoolean()));
            if (openErrno(path, flags[rnd.nextInt(flags.length)]) == 0) opened++;
        }
        assertThat(opened).as("some random paths open").isGreaterThan(100);
    }

    private static int errnoByName(String name) {
        for (int e = 1; e < 200; e++) if (Errno.name(e).equals(name)) return e;
        throw new IllegalArgumentException(name);
    }
}
