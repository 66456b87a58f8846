package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static ring0.kernel.fs.Fx.b;
import static ring0.kernel.fs.Fx.seg;
import static ring0.kernel.fs.OpenFlags.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** open/read/write/lseek/fstat/fsync/close on real files, devices and streams. */
class FdTableTest {
    @TempDir Path root;
    PageCache cache;
    Vfs vfs;
    Fx.Proc proc;
    FdTable t;

    @BeforeEach
    void setUp() throws IOException {
        cache = new PageCache();
        vfs = newVfs(root, cache);
        proc = Fx.proc(vfs, b("typed input\n"));
        t = proc.fds();
    }

    /** The file system under test: through {@code openat2} here, by path after the walk in {@link FdTableWalkTest}. */
    Vfs newVfs(Path root, PageCache cache) throws IOException {
        return new Vfs(root, cache);
    }

    @AfterEach
    void tearDown() {
        t.closeAll();
        cache.close();
    }

    static final int MIB5 = 5 << 20;

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 8191, 12288, MIB5})
    void readsFilesOfEverySize(int size) throws IOException {
        byte[] data = Fx.random(size, size);
        Files.write(root.resolve("f"), data);
        for (int chunk : new int[] {1000, 4096, 16384, size + 1}) {
            if (chunk == 1000 && size > 100_000) continue;
            int fd = Fx.open(t, "/f", O_RDONLY);
            assertThat(Fx.readAll(t, fd, chunk)).as("chunk %d", chunk).isEqualTo(data);
            assertThat(t.read(fd, seg(new byte[10]), 0, 10)).isZero();
            assertThat(t.lseek(fd, 0, OpenFile.SEEK_END)).isEqualTo(size);
            assertThat(Fx.fstat(t, fd).size()).isEqualTo(size);
            assertThat(t.close(fd)).isZero();
        }
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, MIB5})
    void writesFilesOfEverySize(int size) throws IOException {
        byte[] data = Fx.random(-size, size);
        int fd = Fx.open(t, "/w", O_WRONLY | O_CREAT | O_EXCL);
        Fx.writeAll(t, fd, data, 3001);
        assertThat(Fx.fstat(t, fd).size()).isEqualTo(size);
        assertThat(Files.size(root.resolve("w"))).as("write-back: nothing on the host before fsync").isZero();
        assertThat(t.fsync(fd)).isZero();
        assertThat(Files.readAllBytes(root.resolve("w"))).isEqualTo(data);
        assertThat(t.close(fd)).isZero();
        assertThat(Files.readAllBytes(root.resolve("w"))).isEqualTo(data);
    }

    @Test
    void nativeSegmentsWorkToo() {
        byte[] data = Fx.random(7, 10_000);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(20_000), dst = a.allocate(20_000);
            MemorySegment.copy(seg(data), 0, src, 5_000, data.length);
            int fd = Fx.open(t, "n", O_RDWR | O_CREAT);
            assertThat(t.write(fd, src, 5_000, data.length)).isEqualTo(data.length);
            assertThat(t.lseek(fd, 0, OpenFile.SEEK_SET)).isZero();
            assertThat(t.read(fd, dst, 123, 20_000 - 123)).isEqualTo(data.length);
            assertThat(dst.asSlice(123, data.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(data);
        }
    }

    @Test
    void overwriteInTheMiddleAndReadBackBeforeWriteBack() throws IOException {
        byte[] data = Fx.random(1, 20_000);
        Files.write(root.resolve("m"), data);
        int fd = Fx.open(t, "m", O_RDWR);
        byte[] patch = Fx.random(2, 5000);
        assertThat(t.lseek(fd, 4000, OpenFile.SEEK_SET)).isEqualTo(4000);
        assertThat(t.write(fd, seg(patch), 0, patch.length)).isEqualTo(5000);
        assertThat(t.lseek(fd, 0, OpenFile.SEEK_CUR)).isEqualTo(9000);
        System.arraycopy(patch, 0, data, 4000, patch.length);
        assertThat(Files.readAllBytes(root.resolve("m"))).as("host not yet written").isNotEqualTo(data);
        assertThat(t.lseek(fd, 0, OpenFile.SEEK_SET)).isZero();
        assertThat(Fx.readAll(t, fd, 7777)).isEqualTo(data);
        assertThat(t.close(fd)).isZero();
        assertThat(Files.readAllBytes(root.resolve("m"))).as("last close writes back").isEqualTo(data);
    }

    @Test
    void seekingPastTheEndLeavesAHoleOfZeros() throws IOException {
        int fd = Fx.open(t, "hole", O_RDWR | O_CREAT);
        assertThat(t.lseek(fd, 10_000, OpenFile.SEEK_SET)).isEqualTo(10_000);
        assertThat(Fx.fstat(t, fd).size()).isZero();
        assertThat(t.write(fd, seg(b("end")), 0, 3)).isEqualTo(3);
        assertThat(Fx.fstat(t, fd).size()).isEqualTo(10_003);
        assertThat(t.lseek(fd, 0, OpenFile.SEEK_SET)).isZero();
        byte[] all = Fx.readAll(t, fd, 4096);
        assertThat(all).hasSize(10_003);
        assertThat(Arrays.copyOf(all, 10_000)).containsOnly(0);
        assertThat(t.fsync(fd)).isZero();
        assertThat(Files.readAllBytes(root.resolve("hole"))).isEqualTo(all);
    }

    @Test
    void lseekRules() {
        int fd = Fx.open(t, "s", O_RDWR | O_CREAT);
        Fx.writeAll(t, fd, new byte[100], 100);
        assertThat(t.lseek(fd, -1, OpenFile.SEEK_SET)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, -101, OpenFile.SEEK_END)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, -100, OpenFile.SEEK_END)).isZero();
        assertThat(t.lseek(fd, 10, OpenFile.SEEK_CUR)).isEqualTo(10);
        assertThat(t.lseek(fd, -11, OpenFile.SEEK_CUR)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, 0, OpenFile.SEEK_CUR)).as("a failed lseek leaves the position").isEqualTo(10);
        assertThat(t.lseek(fd, Long.MAX_VALUE, OpenFile.SEEK_CUR)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, 0, 3)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, 0, -1)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, 0, 1L << 32)).isEqualTo(-Errno.EINVAL);
        assertThat(t.lseek(fd, RegularFile.MAX_SIZE, OpenFile.SEEK_SET)).isEqualTo(RegularFile.MAX_SIZE);
        assertThat(t.write(fd, seg(b("x")), 0, 1)).isEqualTo(-Errno.EFBIG);
        assertThat(t.lseek(0, 0, OpenFile.SEEK_SET)).isEqualTo(-Errno.ESPIPE);
        assertThat(t.lseek(1, 0, OpenFile.SEEK_CUR)).isEqualTo(-Errno.ESPIPE);
        int nul = Fx.open(t, "/dev/null", O_RDWR);
        assertThat(t.lseek(nul, 100, OpenFile.SEEK_SET)).as("Linux's null_lseek").isZero();
    }

    @Test
    void appendAlwaysWritesAtTheEnd() throws IOException {
        Files.writeString(root.resolve("log"), "start;");
        int a = Fx.open(t, "log", O_WRONLY | O_APPEND);
        int b2 = Fx.open(t, "log", O_RDWR | O_APPEND);
        assertThat(t.write(a, seg(b("one;")), 0, 4)).isEqualTo(4);
        assertThat(t.write(b2, seg(b("two;")), 0, 4)).isEqualTo(4);
        assertThat(t.lseek(a, 0, OpenFile.SEEK_SET)).isZero();
        assertThat(t.write(a, seg(b("three;")), 0, 6)).isEqualTo(6);
        assertThat(t.lseek(a, 0, OpenFile.SEEK_CUR)).isEqualTo(20);
        assertThat(t.lseek(b2, 0, OpenFile.SEEK_SET)).isZero();
        assertThat(new String(Fx.readAll(t, b2, 5))).isEqualTo("start;one;two;three;");
        t.closeAll();
        assertThat(Files.readString(root.resolve("log"))).isEqualTo("start;one;two;three;");
    }

    @Test
    void truncateEmptiesTheFileAtOnce() throws IOException {
        Files.write(root.resolve("t"), Fx.random(3, 9000));
        int r = Fx.open(t, "t", O_RDONLY);
        assertThat(t.read(r, seg(new byte[100]), 0, 100)).isEqualTo(100);
        int w = Fx.open(t, "t", O_WRONLY | O_TRUNC);
        assertThat(Files.size(root.resolve("t"))).isZero();
        assertThat(Fx.fstat(t, r).size()).isZero();
        assertThat(t.read(r, seg(new byte[100]), 0, 100)).as("cached pages are gone too").isZero();
        assertThat(t.write(w, seg(b("new")), 0, 3)).isEqualTo(3);
        t.closeAll();
        assertThat(Files.readString(root.resolve("t"))).isEqualTo("new");
        // O_TRUNC with O_RDONLY does nothing.
        int ro = Fx.open(t, "t", O_RDONLY | O_TRUNC);
        assertThat(Fx.fstat(t, ro).size()).isEqualTo(3);
    }

    @Test
    void createModesAndExclusive() throws IOException {
        assertThat(t.open(b("new"), O_WRONLY | O_CREAT | O_EXCL, 0666)).isNotNegative();
        assertThat(t.open(b("new"), O_WRONLY | O_CREAT | O_EXCL, 0666)).isEqualTo(-Errno.EEXIST);
        assertThat(t.open(b("new"), O_WRONLY | O_CREAT, 0666)).as("plain O_CREAT opens").isNotNegative();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("new")))).isEqualTo("rw-r--r--");
        assertThat(t.open(b("secret"), O_WRONLY | O_CREAT, 04700)).isNotNegative();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("secret"))))
                .as("no setuid, umask 022").isEqualTo("rwx------");
        assertThat(t.open(b("nodir/new"), O_WRONLY | O_CREAT, 0666)).isEqualTo(-Errno.ENOENT);
        assertThat(t.open(b("newdir/"), O_WRONLY | O_CREAT, 0666)).isEqualTo(-Errno.EISDIR);
        assertThat(t.open(b("x"), O_RDONLY | O_CREAT | O_DIRECTORY, 0666)).isEqualTo(-Errno.EINVAL);
        assertThat(t.open(b("missing"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
    }

    @Test
    void directories() throws IOException {
        Files.createDirectories(root.resolve("dir/sub"));
        Files.writeString(root.resolve("dir/file"), "x");
        assertThat(t.open(b("dir"), O_WRONLY, 0)).isEqualTo(-Errno.EISDIR);
        assertThat(t.open(b("dir"), O_RDWR, 0)).isEqualTo(-Errno.EISDIR);
        assertThat(t.open(b("dir"), O_RDONLY | O_CREAT, 0644)).isEqualTo(-Errno.EISDIR);
        assertThat(t.open(b("dir"), O_RDONLY | O_CREAT | O_EXCL, 0644)).isEqualTo(-Errno.EEXIST);
        assertThat(t.open(b("dir/file"), O_RDONLY | O_DIRECTORY, 0)).isEqualTo(-Errno.ENOTDIR);
        assertThat(t.open(b("dir/file/"), O_RDONLY, 0)).isEqualTo(-Errno.ENOTDIR);
        assertThat(t.open(b("dir/file/x"), O_RDONLY, 0)).isEqualTo(-Errno.ENOTDIR);
        int d = Fx.open(t, "dir", O_RDONLY | O_DIRECTORY);
        assertThat(t.read(d, seg(new byte[10]), 0, 10)).isEqualTo(-Errno.EISDIR);
        assertThat(t.write(d, seg(new byte[10]), 0, 10)).isEqualTo(-Errno.EBADF);
        assertThat(t.fsync(d)).isZero();
        Stat st = Fx.fstat(t, d);
        assertThat(st.type()).isEqualTo(Stat.S_IFDIR);
        assertThat(st.ino()).isEqualTo(Files.getAttribute(root.resolve("dir"), "unix:ino"));
        assertThat(Fx.fstat(t, Fx.open(t, "/", O_RDONLY)).ino()).isEqualTo(Files.getAttribute(root, "unix:ino"));
    }

    @Test
    void fstatOfARegularFileMatchesTheHost() throws IOException {
        Path p = root.resolve("st");
        Files.write(p, new byte[5000]);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
        int fd = Fx.open(t, "st", O_RDWR);
        Stat st = Fx.fstat(t, fd);
        Map<String, Object> h = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertThat(st.dev()).isEqualTo(h.get("dev"));
        assertThat(st.ino()).isEqualTo(h.get("ino"));
        assertThat(st.nlink()).isEqualTo(1);
        assertThat(st.mode()).isEqualTo(Stat.S_IFREG | 0640).isEqualTo(h.get("mode"));
        assertThat(st.uid()).isEqualTo(h.get("uid"));
        assertThat(st.gid()).isEqualTo(h.get("gid"));
        assertThat(st.size()).isEqualTo(5000);
        assertThat(st.blksize()).isEqualTo(4096);
        assertThat(st.blocks()).isEqualTo(16);
        var mtime = ((java.nio.file.attribute.FileTime) h.get("lastModifiedTime")).toInstant();
        assertThat(st.mtimeSec()).isEqualTo(mtime.getEpochSecond());
        assertThat(st.mtimeNsec()).isEqualTo(mtime.getNano());
        // Cached, unwritten data counts: size grows, mtime moves.
        assertThat(t.lseek(fd, 0, OpenFile.SEEK_END)).isEqualTo(5000);
        Fx.writeAll(t, fd, new byte[3000], 3000);
        Stat after = Fx.fstat(t, fd);
        assertThat(Files.size(p)).isEqualTo(5000);
        assertThat(after.size()).isEqualTo(8000);
        assertThat(java.time.Instant.ofEpochSecond(after.mtimeSec(), after.mtimeNsec())).isAfterOrEqualTo(mtime);
        // Hard links share the inode and the cache.
        Files.createLink(root.resolve("st2"), p);
        int other = Fx.open(t, "st2", O_RDONLY);
        assertThat(Fx.fstat(t, other).size()).isEqualTo(8000);
        assertThat(Fx.fstat(t, other).nlink()).isEqualTo(2);
    }

    @Test
    void fstatImageLayout() {
        byte[] img = new byte[Stat.SIZE + 16];
        Arrays.fill(img, (byte) 0x5a);
        int fd = Fx.open(t, "/dev/zero", O_RDONLY);
        assertThat(t.fstat(fd, seg(img), 8)).isZero();
        assertThat(img[7]).isEqualTo((byte) 0x5a);
        assertThat(img[8 + Stat.SIZE]).isEqualTo((byte) 0x5a);
        assertThat(Arrays.copyOfRange(img, 8 + 120, 8 + 144)).containsOnly(0);
        assertThat(Arrays.copyOfRange(img, 8 + 36, 8 + 40)).containsOnly(0);
        MemorySegment s = seg(img);
        assertThat(s.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 8 + 24)).isEqualTo(Stat.S_IFCHR | 0666);
        assertThat(s.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8 + 40)).isEqualTo(Stat.makedev(1, 5)).isEqualTo(0x105);
        assertThat(t.fstat(fd, seg(new byte[143]), 0)).isEqualTo(-Errno.EFAULT);
        assertThat(t.fstat(fd, seg(img), 17)).isEqualTo(-Errno.EFAULT);
    }

    @Test
    void descriptorNumbersAndEbadf() {
        assertThat(t.openCount()).isEqualTo(3);
        int fd = Fx.open(t, "/dev/null", O_RDWR);
        assertThat(fd).isEqualTo(3);
        assertThat(t.close(fd)).isZero();
        byte[] buf = new byte[8];
        assertThat(t.read(fd, seg(buf), 0, 8)).isEqualTo(-Errno.EBADF);
        assertThat(t.write(fd, seg(buf), 0, 8)).isEqualTo(-Errno.EBADF);
        assertThat(t.lseek(fd, 0, 0)).isEqualTo(-Errno.EBADF);
        assertThat(t.fstat(fd, seg(new byte[144]), 0)).isEqualTo(-Errno.EBADF);
        assertThat(t.fsync(fd)).isEqualTo(-Errno.EBADF);
        assertThat(t.close(fd)).isEqualTo(-Errno.EBADF);
        for (long bad : new long[] {-1, 256, 1L << 32, (1L << 32) + 1, Long.MIN_VALUE}) {
            assertThat(t.read(bad, seg(buf), 0, 8)).as("fd %d", bad).isEqualTo(-Errno.EBADF);
            assertThat(t.close(bad)).isEqualTo(-Errno.EBADF);
        }
        assertThat(t.close(1)).isZero();
        assertThat(Fx.open(t, "/dev/zero", O_RDONLY)).as("lowest free number").isEqualTo(1);
    }

    @Test
    void wrongAccessModeIsEbadf() throws IOException {
        Files.writeString(root.resolve("f"), "data");
        int r = Fx.open(t, "f", O_RDONLY), w = Fx.open(t, "f", O_WRONLY);
        byte[] buf = new byte[4];
        assertThat(t.write(r, seg(buf), 0, 4)).isEqualTo(-Errno.EBADF);
        assertThat(t.read(w, seg(buf), 0, 4)).isEqualTo(-Errno.EBADF);
        assertThat(t.read(1, seg(buf), 0, 4)).isEqualTo(-Errno.EBADF);
        assertThat(t.write(0, seg(buf), 0, 4)).isEqualTo(-Errno.EBADF);
        int nr = Fx.open(t, "/dev/null", O_RDONLY);
        assertThat(t.write(nr, seg(buf), 0, 4)).isEqualTo(-Errno.EBADF);
        assertThat(t.open(b("f"), 3, 0)).isEqualTo(-Errno.EINVAL);
        assertThat(t.open(b("f"), O_PATH, 0)).isEqualTo(-Errno.EINVAL);
        assertThat(t.open(b("/"), O_TMPFILE | O_RDWR, 0600)).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void badBufferRangesAreEfault() {
        int fd = Fx.open(t, "/dev/zero", O_RDWR);
        byte[] buf = new byte[16];
        assertThat(t.read(fd, seg(buf), 0, 17)).isEqualTo(-Errno.EFAULT);
        assertThat(t.read(fd, seg(buf), 8, 9)).isEqualTo(-Errno.EFAULT);
        assertThat(t.read(fd, seg(buf), -1, 1)).isEqualTo(-Errno.EFAULT);
        assertThat(t.read(fd, seg(buf), 1, -1)).isEqualTo(-Errno.EFAULT);
        assertThat(t.read(fd, seg(buf), Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(-Errno.EFAULT);
        assertThat(t.write(fd, seg(buf), 16, 1)).isEqualTo(-Errno.EFAULT);
        assertThat(t.read(fd, seg(buf), 16, 0)).isZero();
    }

    @Test
    void emfileAt256() throws IOException {
        Files.writeString(root.resolve("f"), "x");
        for (int i = 3; i < FdTable.MAX_FDS; i++) assertThat(t.open(b("f"), O_RDONLY, 0)).isEqualTo(i);
        assertThat(t.open(b("f"), O_RDONLY, 0)).isEqualTo(-Errno.EMFILE);
        assertThat(t.open(b("/dev/null"), O_RDONLY, 0)).isEqualTo(-Errno.EMFILE);
        assertThat(t.open(b("new"), O_RDONLY | O_CREAT, 0644)).isEqualTo(-Errno.EMFILE);
        assertThat(root.resolve("new")).as("EMFILE before anything is created").doesNotExist();
        assertThat(t.close(100)).isZero();
        assertThat(t.open(b("f"), O_RDONLY, 0)).isEqualTo(100);
        assertThat(t.read(100, seg(new byte[1]), 0, 1)).isEqualTo(1);
        assertThat(t.closeAll()).isZero();
        assertThat(t.openCount()).isZero();
        assertThat(cache.stats().residentPages()).as("clean pages outlive the last close").isEqualTo(1);
    }

    @Test
    void devices() {
        int z = Fx.open(t, "/dev/zero", O_RDWR);
        byte[] buf = new byte[10_000];
        Arrays.fill(buf, (byte) 0x55);
        assertThat(t.read(z, seg(buf), 100, 9000)).isEqualTo(9000);
        assertThat(Arrays.copyOfRange(buf, 100, 9100)).containsOnly(0);
        assertThat(buf[99]).isEqualTo((byte) 0x55);
        assertThat(buf[9100]).isEqualTo((byte) 0x55);
        assertThat(t.write(z, seg(buf), 0, 10_000)).isEqualTo(10_000);
        assertThat(t.fsync(z)).isEqualTo(-Errno.EINVAL);
        int n = Fx.open(t, "/dev/null", O_RDWR);
        assertThat(t.read(n, seg(buf), 0, 100)).isZero();
        assertThat(t.write(n, seg(buf), 0, 10_000)).isEqualTo(10_000);
        Stat st = Fx.fstat(t, n);
        assertThat(st.type()).isEqualTo(Stat.S_IFCHR);
        assertThat(st.rdev()).isEqualTo(Stat.makedev(1, 3));
        assertThat(t.open(b("/dev/null"), O_RDONLY | O_DIRECTORY, 0)).isEqualTo(-Errno.ENOTDIR);
        assertThat(t.open(b("/dev/null"), O_WRONLY | O_CREAT | O_EXCL, 0644)).isEqualTo(-Errno.EEXIST);
        assertThat(t.open(b("/dev/null"), O_WRONLY | O_CREAT | O_TRUNC, 0644)).isNotNegative();
        assertThat(root.resolve("dev")).doesNotExist();
    }

    @Test
    void standardStreams() {
        assertThat(t.write(1, seg(b("out!")), 0, 4)).isEqualTo(4);
        assertThat(t.write(2, seg(b("err!")), 0, 4)).isEqualTo(4);
        int so = Fx.open(t, "/dev/stdout", O_WRONLY);
        assertThat(t.write(so, seg(b("again")), 0, 5)).isEqualTo(5);
        assertThat(proc.out().toString()).isEqualTo("out!again");
        assertThat(proc.err().toString()).isEqualTo("err!");
        byte[] in = new byte[64];
        assertThat(t.read(0, seg(in), 0, 5)).isEqualTo(5);
        int si = Fx.open(t, "/dev/stdin", O_RDONLY);
        assertThat(t.read(si, seg(in), 5, 59)).isEqualTo(7);
        assertThat(new String(in, 0, 12)).isEqualTo("typed input\n");
        assertThat(t.read(0, seg(in), 0, 64)).as("end of input").isZero();
        assertThat(t.open(b("/dev/stdin"), O_WRONLY, 0)).isEqualTo(-Errno.EACCES);
        assertThat(t.open(b("/dev/stderr"), O_RDONLY, 0)).isEqualTo(-Errno.EACCES);
        assertThat(Fx.fstat(t, 1).type()).isEqualTo(Stat.S_IFCHR);
        assertThat(t.close(1)).isZero();
        assertThat(t.write(so, seg(b("!")), 0, 1)).as("closing fd 1 leaves the stream open").isEqualTo(1);
    }

    @Test
    void syncFlagWritesThrough() throws IOException {
        int fd = Fx.open(t, "sync", O_WRONLY | O_CREAT | O_SYNC);
        assertThat(t.write(fd, seg(b("durable")), 0, 7)).isEqualTo(7);
        assertThat(Files.readString(root.resolve("sync"))).isEqualTo("durable");
    }

    @Test
    void hostPermissionsAreRespected() throws IOException {
        assumeThat(System.getProperty("user.name")).as("root ignores permissions").isNotEqualTo("root");
        Path p = Files.writeString(root.resolve("locked"), "x");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        assertThat(t.open(b("locked"), O_RDONLY, 0)).isEqualTo(-Errno.EACCES);
        assertThat(t.open(b("locked"), O_WRONLY, 0)).isEqualTo(-Errno.EACCES);
        Path d = Files.createDirectories(root.resolve("closed"));
        Files.writeString(d.resolve("f"), "x");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("---------"));
        assertThat(t.open(b("closed/f"), O_RDONLY, 0)).isEqualTo(-Errno.EACCES);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
    }
}
