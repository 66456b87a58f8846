package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The fields of an x86-64 Linux {@code struct stat}, and its 144-byte image.
 *
 * <pre>
 *   0 st_dev     8 st_ino    16 st_nlink   24 st_mode (u32)  28 st_uid (u32)
 *  32 st_gid (u32)  36 pad  40 st_rdev    48 st_size   56 st_blksize  64 st_blocks
 *  72 st_atime  80 st_atime_nsec  88 st_mtime  96 st_mtime_nsec
 * 104 st_ctime 112 st_ctime_nsec 120..143 reserved (zero)
 * </pre>
 *
 * @param blocks number of 512-byte blocks
 */
public record Stat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev,
                   long size, long blksize, long blocks,
                   long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
                   long ctimeSec, long ctimeNsec) {

    /** Size of the image in bytes. */
    public static final int SIZE = 144;
    /** File type mask of {@code st_mode}. */
    public static final int S_IFMT = 0170000;
    /** Regular file. */
    public static final int S_IFREG = 0100000;
    /** Directory. */
    public static final int S_IFDIR = 0040000;
    /** Character device. */
    public static final int S_IFCHR = 0020000;
    /** Type bits of a symbolic link. */
    public static final int S_IFLNK = 0120000;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Linux's {@code makedev(major, minor)}. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** Writes the 144-byte image at {@code dst[off]}; the caller has checked the range. */
    public void encode(MemorySegment dst, long off) {
        dst.asSlice(off, SIZE).fill((byte) 0);
        dst.set(LONG, off, dev);
        dst.set(LONG, off + 8, ino);
        dst.set(LONG, off + 16, nlink);
        dst.set(INT, off + 24, mode);
        dst.set(INT, off + 28, uid);
        dst.set(INT, off + 32, gid);
        dst.set(LONG, off + 40, rdev);
        dst.set(LONG, off + 48, size);
        dst.set(LONG, off + 56, blksize);
        dst.set(LONG, off + 64, blocks);
        dst.set(LONG, off + 72, atimeSec);
        dst.set(LONG, off + 80, atimeNsec);
        dst.set(LONG, off + 88, mtimeSec);
        dst.set(LONG, off + 96, mtimeNsec);
        dst.set(LONG, off + 104, ctimeSec);
        dst.set(LONG, off + 112, ctimeNsec);
    }

    /** Reads an image written by {@link #encode} (or by Linux). */
    public static Stat decode(MemorySegment src, long off) {
        return new Stat(src.get(LONG, off), src.get(LONG, off + 8), src.get(LONG, off + 16),
                src.get(INT, off + 24), src.get(INT, off + 28), src.get(INT, off + 32),
                src.get(LONG, off + 40), src.get(LONG, off + 48), src.get(LONG, off + 56),
                src.get(LONG, off + 64), src.get(LONG, off + 72), src.get(LONG, off + 80),
                src.get(LONG, off + 88), src.get(LONG, off + 96), src.get(LONG, off + 104),
                src.get(LONG, off + 112));
    }

    /** The file type bits of {@link #mode}. */
    public int type() { return mode & S_IFMT; }
}
