package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.kernel.fs.OpenFlags.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fstat answered from the open file, and write-back in runs of consecutive pages. */
class FstatWritebackTest {
    @TempDir Path root;

    private static Instant mtime(Stat st) { return Instant.ofEpochSecond(st.mtimeSec(), st.mtimeNsec()); }

    private static Instant ctime(Stat st) { return Instant.ofEpochSecond(st.ctimeSec(), st.ctimeNsec()); }

    @Test
    void fstatComesFromTheOpenFileNotFromTheHostPath() throws IOException {
        Path p = Files.write(root.resolve("f"), new byte[100]);
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "f", O_RDWR);
            Stat before = Fx.fstat(t, fd);
            assertThat(before.mode()).isEqualTo(Stat.S_IFREG | 0644);
            assertThat(before.size()).isEqualTo(100);
            // Renamed and chmod'ed on the host behind the kernel's back: the open file keeps what it had.
            Files.move(p, root.resolve("g"));
            Files.setPosixFilePermissions(root.resolve("g"), PosixFilePermissions.fromString("r--------"));
            Stat same = Fx.fstat(t, fd);
            assertThat(same).isEqualTo(before);
            // A write through the kernel: size and times move, the host has not seen it yet.
            Instant t0 = Instant.now();
            assertThat(t.lseek(fd, 0, OpenFile.SEEK_END)).isEqualTo(100);
            Fx.writeAll(t, fd, new byte[9000], 9000);
            Instant t1 = Instant.now();
            Stat after = Fx.fstat(t, fd);
            assertThat(Files.size(root.resolve("g"))).isEqualTo(100);
            assertThat(after.size()).isEqualTo(9100);
            assertThat(after.blocks()).isEqualTo(3 * 8);
            assertThat(mtime(after)).isBetween(t0, t1);
            assertThat(ctime(after)).isEqualTo(mtime(after));
            assertThat(after.ino()).isEqualTo(before.ino());
            assertThat(after.nlink()).isEqualTo(1);
            // Two calls without a change in between give the same answer.
            assertThat(Fx.fstat(t, fd)).isEqualTo(after);
            assertThat(t.close(fd)).isZero();
            assertThat(Files.size(root.resolve("g"))).isEqualTo(9100);
        }
    }

    @Test
    void truncatingOpenMovesTheTimesAndEmptiesTheFile() throws IOException {
        Files.write(root.resolve("f"), new byte[5000]);
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            Instant t0 = Instant.now();
            int fd = Fx.open(t, "f", O_WRONLY | O_TRUNC);
            Stat st = Fx.fstat(t, fd);
            assertThat(st.size()).isZero();
            assertThat(st.blocks()).isZero();
            assertThat(mtime(st)).isAfterOrEqualTo(t0.minusMillis(20)); // the host's clock may be coarser
            assertThat(t.closeAll()).isZero();
        }
    }

    @Test
    void directoryFstatSeesTheDirectoryAsItIsNow() throws IOException {
        Files.createDirectory(root.resolve("d"));
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "d", O_RDONLY);
            Stat st = Fx.fstat(t, fd);
            assertThat(st.type()).isEqualTo(Stat.S_IFDIR);
            assertThat(st.nlink()).isEqualTo(2);
            Files.createDirectory(root.resolve("d/sub"));
            assertThat(Fx.fstat(t, fd).nlink()).isEqualTo(3);
            assertThat(t.fsync(fd)).isZero();
            assertThat(t.close(fd)).isZero();
            assertThat(t.fsync(fd)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void consecutiveDirtyPagesGoToTheHostInOneWrite() throws IOException {
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "f", O_RDWR | O_CREAT);
            byte[] data = Fx.random(1, 20 * 4096 + 123); // 21 pages, the last one partial
            Fx.writeAll(t, fd, data, 16 << 10);
            // A second run after a hole of two pages.
            byte[] tail = Fx.random(2, 3 * 4096);
            assertThat(t.lseek(fd, 23 * 4096, OpenFile.SEEK_SET)).isEqualTo(23 * 4096);
            Fx.writeAll(t, fd, tail, 4096);
            PageCache.Stats before = cache.stats();
            assertThat(t.fsync(fd)).isZero();
            PageCache.Stats s = cache.stats();
            assertThat(s.writebacks() - before.writebacks()).isEqualTo(24);
            assertThat(s.hostWrites() - before.hostWrites()).as("one write per run").isEqualTo(2);
            byte[] host = Files.readAllBytes(root.resolve("f"));
            assertThat(host).hasSize(26 * 4096);
            assertThat(Arrays.copyOf(host, data.length)).isEqualTo(data);
            assertThat(Arrays.copyOfRange(host, data.length, 23 * 4096)).containsOnly(0);
            assertThat(Arrays.copyOfRange(host, 23 * 4096, 26 * 4096)).isEqualTo(tail);
            // Nothing dirty: the next fsync writes nothing.
            assertThat(t.fsync(fd)).isZero();
            assertThat(cache.stats().hostWrites()).isEqualTo(s.hostWrites());
            assertThat(t.close(fd)).isZero();
            assertThat(cache.stats().hostWrites()).isEqualTo(s.hostWrites());
        }
    }

    @Test
    void runsLongerThanOneGatherAreSplit() throws IOException {
        int pages = HostFile.IOV_MAX + 5;
        try (PageCache cache = new PageCache()) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "f", O_RDWR | O_CREAT);
            byte[] data = Fx.random(3, pages * 4096);
            Fx.writeAll(t, fd, data, 256 << 10);
            assertThat(t.close(fd)).isZero();
            assertThat(cache.stats().hostWrites()).isEqualTo(2);
            assertThat(cache.stats().writebacks()).isEqualTo(pages);
            assertThat(Files.readAllBytes(root.resolve("f"))).isEqualTo(data);
        }
    }

    @Test
    void evictionWritesTheRunAroundItsVictim() throws IOException {
        try (PageCache cache = new PageCache(16 * PageCache.PAGE_SIZE)) {
            FdTable t = Fx.table(new Vfs(root, cache));
            int fd = Fx.open(t, "f", O_RDWR | O_CREAT);
            byte[] data = Fx.random(4, 200 * 4096);
            Fx.writeAll(t, fd, data, 16 << 10);
            PageCache.Stats s = cache.stats();
            assertThat(s.evictions()).isGreaterThan(150);
            assertThat(s.hostWrites()).as("eviction writes runs, not single pages").isLessThan(s.writebacks() / 4);
            assertThat(t.close(fd)).isZero();
            assertThat(Files.readAllBytes(root.resolve("f"))).isEqualTo(data);
        }
    }
}
