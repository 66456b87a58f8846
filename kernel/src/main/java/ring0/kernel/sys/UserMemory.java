package ring0.kernel.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import ring0.kernel.proc.AddressSpace;

/**
 * TRUSTED. Every touch of a program's memory by a system call goes through
 * here, as Linux's {@code copy_from_user} checks its ranges: a pointer the
 * program passes becomes a {@link MemorySegment} only if the whole object lies
 * inside one region the process owns ({@link AddressSpace#region}). The type
 * checker already promises this for a verified program; the kernel checks it
 * again at run time and never relies on the promise.
 *
 * <p>Locking: none; called only on the process's own thread, which is inside
 * a system call, so the program cannot change its memory meanwhile.
 */
public final class UserMemory {
    private UserMemory() {}

    /** Length word, then the elements. */
    private static final long HEADER = 8;

    /**
     * The contents of the byte array at {@code ptr}: a slice of the
     * process's memory of exactly the length its length word gives, or
     * {@code null} if {@code ptr} is not 8-byte aligned, its length word is not
     * in the process's memory, or the bytes it claims run past the region.
     */
    public static MemorySegment bytes(AddressSpace mem, long ptr) {
        MemorySegment r = header(mem, ptr);
        if (r == null) return null;
        long off = ptr - r.address();
        long len = r.get(ValueLayout.JAVA_LONG, off);
        long room = r.byteSize() - off - HEADER;
        if (Long.compareUnsigned(len, room) > 0) return null;
        return r.asSlice(off + HEADER, len);
    }

    /**
     * The elements of the word array at {@code ptr}, as {@link #bytes} but
     * with a length word counting 8-byte words.
     */
    public static MemorySegment words(AddressSpace mem, long ptr) {
        MemorySegment r = header(mem, ptr);
        if (r == null) return null;
        long off = ptr - r.address();
        long len = r.get(ValueLayout.JAVA_LONG, off);
        long room = (r.byteSize() - off - HEADER) / 8;
        if (Long.compareUnsigned(len, room) > 0) return null;
        return r.asSlice(off + HEADER, len * 8);
    }

    /** Stores the length word of a new array at {@code ptr}, which must lie in the process's memory. */
    static void setLength(AddressSpace mem, long ptr, long length) {
        MemorySegment r = header(mem, ptr);
        if (r == null) throw new IllegalStateException("new array at 0x" + Long.toHexString(ptr) + " outside the process's memory");
        r.set(ValueLayout.JAVA_LONG, ptr - r.address(), length);
    }

    /** The region holding the 8-byte length word at {@code ptr}, or {@code null}. */
    private static MemorySegment header(AddressSpace mem, long ptr) {
        if ((ptr & 7) != 0) return null;
        return mem.region(ptr, HEADER);
    }
}
