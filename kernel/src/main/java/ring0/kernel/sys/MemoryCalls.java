package ring0.kernel.sys;

import ring0.kernel.Exit;
import ring0.kernel.load.NativeMemoryException;
import ring0.kernel.proc.Process;
import ring0.kernel.proc.QuotaExceeded;

/**
 * TRUSTED. The allocating calls. Their results are typed pointers
 * ({@code t?}, {@code bytes?}, {@code [int]?}), so they never return
 * {@code -errno}, which the program would take for a pointer: as on the Linux
 * gates (see {@code ring0.abi.Service}), a size above 2^40 (unsigned) gives
 * 0 (null); {@code alloc(0)} gives a fresh (16-byte) block. A request the quota does not cover ends the process
 * ("memory quota exceeded"), and so does the host refusing memory.
 *
 * <p>Locking: none; the address space belongs to the calling thread.
 */
final class MemoryCalls {
    private MemoryCalls() {}

    /** Sizes and lengths above this give null, as on the Linux gates. */
    static final long MAX = 1L << 40;

    /** {@code alloc(size)}: fresh zeroed memory, 16-byte aligned, or 0. */
    static long alloc(Process p, long size) {
        if (Long.compareUnsigned(size, MAX) > 0) return 0;
        return allocate(p, size);
    }

    /** {@code newbytes(n)}: a zeroed byte array of length {@code n}, or 0. */
    static long newBytes(Process p, long n) {
        if (Long.compareUnsigned(n, MAX) > 0) return 0;
        return array(p, n, 8 + n);
    }

    /** {@code newwords(n)}: a zeroed word array of length {@code n}, or 0. */
    static long newWords(Process p, long n) {
        if (Long.compareUnsigned(n, MAX) > 0) return 0;
        return array(p, n, 8 + 8 * n);
    }

    private static long array(Process p, long n, long bytes) {
        long a = allocate(p, bytes);
        if (a != 0) UserMemory.setLength(p.memory(), a, n);
        return a;
    }

    /** The address of {@code size} fresh bytes, or 0 after ending the process. */
    private static long allocate(Process p, long size) {
        try {
            return p.memory().allocate(size);
        } catch (QuotaExceeded e) {
            p.quotaExceeded(e);
        } catch (NativeMemoryException e) {
            p.kill(Exit.How.MEMORY_QUOTA, "out of memory: the host refused " + size + " bytes (" + e.getMessage() + ")");
        }
        return 0;
    }
}
