package ring0.kernel.load;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * TRUSTED. Page mappings of this process, through FFM downcalls to the C
 * library's {@code mmap}, {@code mprotect} and {@code munmap}. Every mapping
 * is private and anonymous, so it starts zero-filled, and is reserved without
 * swap accounting ({@code MAP_NORESERVE}): an 8 MiB stack costs only the pages
 * a program touches.
 *
 * <p>Segments returned here are not tied to an arena: the caller owns them and
 * must {@link #unmap} them exactly once, after which no segment over the range
 * may be used. Locking: none; the host calls are thread-safe.
 */
@SuppressWarnings("restricted") // the kernel is the one place that maps memory by hand; that is its job
public final class NativeMemory {
    private NativeMemory() {}

    /** The page size this kernel assumes (x86-64 Linux base pages). */
    public static final long PAGE = 4096;

    /** No access. */
    public static final int PROT_NONE = 0;
    /** Readable. */
    public static final int PROT_READ = 1;
    /** Writable. */
    public static final int PROT_WRITE = 2;
    /** Executable. */
    public static final int PROT_EXEC = 4;

    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final long MAP_FAILED = -1L;

    private static final MethodHandle MMAP, MPROTECT, MUNMAP;

    static {
        MMAP = Libc.function("mmap",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MPROTECT = Libc.function("mprotect",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        MUNMAP = Libc.function("munmap",
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    /** {@code n} rounded up to a whole number of pages; {@code n} must be non-negative and not near 2^63. */
    public static long pageAlign(long n) {
        return (n + PAGE - 1) & -PAGE;
    }

    /**
     * Maps {@code size} bytes (a positive multiple of {@link #PAGE}) of fresh
     * zeroed memory with protection {@code prot}, anywhere.
     *
     * @return a segment of exactly {@code size} bytes over the mapping
     */
    public static MemorySegment map(long size, int prot) throws NativeMemoryException {
        if (size <= 0 || size % PAGE != 0) throw new IllegalArgumentException("mapping size " + size);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            long addr = (long) MMAP.invokeExact(st, MemorySegment.NULL, size, prot,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (addr == MAP_FAILED) throw new NativeMemoryException("mmap " + size + " bytes", errno(st));
            return MemorySegment.ofAddress(addr).reinterpret(size);
        } catch (NativeMemoryException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall", t);
        }
    }

    /**
     * Sets the protection of the pages {@code [offset, offset + size)} of
     * {@code seg}; both must be page-aligned and inside it.
     */
    public static void protect(MemorySegment seg, long offset, long size, int prot) throws NativeMemoryException {
        checkRange(seg, offset, size);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            int r = (int) MPROTECT.invokeExact(st, seg.address() + offset, size, prot);
            if (r != 0) throw new NativeMemoryException("mprotect " + size + " bytes", errno(st));
        } catch (NativeMemoryException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mprotect downcall", t);
        }
    }

    /** Unmaps the whole of {@code seg}, which must have come from {@link #map}. */
    public static void unmap(MemorySegment seg) throws NativeMemoryException {
        checkRange(seg, 0, seg.byteSize());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Libc.callState(a);
            int r = (int) MUNMAP.invokeExact(st, seg.address(), seg.byteSize());
            if (r != 0) throw new NativeMemoryException("munmap " + seg.byteSize() + " bytes", errno(st));
        } catch (NativeMemoryException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall", t);
        }
    }

    private static void checkRange(MemorySegment seg, long offset, long size) {
        if ((seg.address() & (PAGE - 1)) != 0 || offset < 0 || size <= 0 || offset % PAGE != 0 || size % PAGE != 0
                || offset > seg.byteSize() - size) {
            throw new IllegalArgumentException("range " + offset + "+" + size + " of a " + seg.byteSize() + "-byte mapping");
        }
    }

    private static int errno(MemorySegment state) {
        return Libc.errno(state);
    }
}
