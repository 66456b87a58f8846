package ring0.kernel.fs;

import java.lang.foreign.MemorySegment;

/**
 * An open file description: what a descriptor refers to. Every operation
 * returns its result or {@code -errno} (never throws for a program's error);
 * callers ({@link FdTable}) have already checked that {@code [off, off+count)}
 * lies inside the memory segment and that {@code count} is at most
 * {@link #MAX_RW_COUNT}.
 *
 * <p>Thread safety: every implementation may be called from several threads;
 * each says how it locks.
 */
public sealed interface OpenFile permits RegularFile, DirectoryFile, NullDevice, ZeroDevice,
        InputStreamFile, OutputStreamFile {

    /** {@code lseek} from the start. */
    int SEEK_SET = 0;
    /** {@code lseek} from the current position. */
    int SEEK_CUR = 1;
    /** {@code lseek} from the end. */
    int SEEK_END = 2;
    /** Largest transfer of one read or write, as Linux's {@code MAX_RW_COUNT}. */
    long MAX_RW_COUNT = 0x7ffff000L;

    /** Reads up to {@code count} bytes into {@code dst[off..]}: the number read, 0 at end of file, or {@code -errno}. */
    long read(MemorySegment dst, long off, long count);

    /** Writes up to {@code count} bytes from {@code src[off..]}: the number written or {@code -errno}. */
    long write(MemorySegment src, long off, long count);

    /** Moves the file position: the new position or {@code -errno}. */
    long lseek(long offset, int whence);

    /** The file's {@code struct stat}. */
    Stat stat();

    /** Makes written data durable: 0 or {@code -errno}. */
    int fsync();

    /** Ends this description: 0 or {@code -errno} (the description is closed either way). */
    int close();
}
