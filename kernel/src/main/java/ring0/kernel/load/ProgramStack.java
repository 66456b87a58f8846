package ring0.kernel.load;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * TRUSTED. A program's stack and argument array, in one mapping:
 *
 * <pre>
 *   base                      guard page, PROT_NONE
 *   base + PAGE = bottom      the stack (stackSize bytes), growing down from top
 *   top = bottom + stackSize  the argument region: the word array, then the byte arrays
 * </pre>
 *
 * <p>The argument array is a word array (length word {@code argc}, then
 * {@code argc} pointers) of byte arrays (length word, the bytes, a NUL that
 * is not counted, padded to 8 bytes), as in docs/abi.md §4; it starts at
 * {@link #top()}, 16-byte aligned, so after the return address is pushed
 * {@code rsp = 8 (mod 16)}. The limit word the polls compare with is
 * {@link #limit()}: {@code bottom + 64 KiB}, which leaves room for the 32 KiB
 * a region may grow below a poll and for the trampolines.
 *
 * <p>Locking: immutable after {@link #create}.
 */
public final class ProgramStack implements AutoCloseable {
    /** Headroom between the stack's bottom and the limit word (docs/types.md §7). */
    public static final long LIMIT_HEADROOM = 64 * 1024;
    /** Default stack size, as on the Linux gates. */
    public static final long DEFAULT_SIZE = 8L << 20;
    /** Most bytes of arguments (lengths, contents and pointers) a program may be given, like Linux's ARG_MAX. */
    public static final long MAX_ARGS = 2L << 20;

    private final MemorySegment mapping;
    private final long stackSize;
    private final long argsSize;
    private boolean closed;

    private ProgramStack(MemorySegment mapping, long stackSize, long argsSize) {
        this.mapping = mapping;
        this.stackSize = stackSize;
        this.argsSize = argsSize;
    }

    /**
     * Maps a stack of {@code stackSize} bytes (a multiple of the page size, at
     * least 128 KiB) with a guard page below and the argument array {@code args} above.
     */
    public static ProgramStack create(long stackSize, List<byte[]> args) throws LoadException {
        if (stackSize < 2 * LIMIT_HEADROOM || stackSize % NativeMemory.PAGE != 0 || stackSize > (1L << 40)) {
            throw new LoadException("stack size must be a multiple of 4 KiB between 128 KiB and 1 TiB, not " + stackSize);
        }
        long need = 8 + 8L * args.size();
        for (byte[] a : args) need += 8 + align8(a.length + 1L);
        if (need > MAX_ARGS) throw new LoadException("arguments too long: " + need + " bytes (at most " + MAX_ARGS + ")");
        long argsSize = NativeMemory.pageAlign(need);
        MemorySegment m;
        try {
            m = NativeMemory.map(NativeMemory.PAGE + stackSize + argsSize, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        } catch (NativeMemoryException e) {
            throw new LoadException("cannot map the program stack", e);
        }
        try {
            NativeMemory.protect(m, 0, NativeMemory.PAGE, NativeMemory.PROT_NONE);
        } catch (NativeMemoryException e) {
            try {
                NativeMemory.unmap(m);
            } catch (NativeMemoryException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new LoadException("cannot protect the stack guard page", e);
        }
        ProgramStack s = new ProgramStack(m, stackSize, argsSize);
        s.writeArgs(args);
        return s;
    }

    private void writeArgs(List<byte[]> args) {
        MemorySegment r = argsRegion();
        long array = 0, next = 8 + 8L * args.size();
        r.set(ValueLayout.JAVA_LONG, array, args.size());
        for (int i = 0; i < args.size(); i++) {
            byte[] a = args.get(i);
            r.set(ValueLayout.JAVA_LONG, array + 8 + 8L * i, r.address() + next);
            r.set(ValueLayout.JAVA_LONG, next, a.length);
            MemorySegment.copy(MemorySegment.ofArray(a), 0, r, next + 8, a.length);
            next += 8 + align8(a.length + 1L);
        }
    }

    private static long align8(long n) { return (n + 7) & -8L; }

    /** Lowest usable stack address (just above the guard page). */
    public long bottom() { return mapping.address() + NativeMemory.PAGE; }

    /** The initial stack top: where the argument word array starts. */
    public long top() { return bottom() + stackSize; }

    /** The value of the limit word: {@code bottom() + 64 KiB}. */
    public long limit() { return bottom() + LIMIT_HEADROOM; }

    /** Address of the argument word array (rdi at entry). */
    public long args() { return top(); }

    /** The argument region (the word array and the byte arrays it points to). */
    public MemorySegment argsRegion() { return mapping.asSlice(NativeMemory.PAGE + stackSize, argsSize); }

    /** Unmaps stack and arguments. Only when the program is not running. */
    @Override
    public synchronized void close() throws NativeMemoryException {
        if (closed) return;
        closed = true;
        NativeMemory.unmap(mapping);
    }
}
