package ring0.kernel.load;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * TRUSTED. The per-process control block: one page of native memory that the
 * process's stubs read and write RIP-relatively, and the kernel reads and
 * writes through this class. It lies right after the process's code page
 * (see {@link Gate}); programs cannot name it (no type gives a pointer to it).
 *
 * <pre>
 *   0  hostRsp   the host rsp saved by enter (16-byte aligned); upcalls run below it
 *   8  guestRsp  the program's rsp at its last upcall
 *  16  stackTop  the program's initial rsp before the return address is pushed
 *  24  args      the argument word array (rdi at entry)
 *  32  entry     address of the entry label
 *  40  pid       read by the native getpid
 *  48  ppid      read by the native getppid
 *  56  unwind    nonzero: the trampoline abandons the program after the upcall returns
 * </pre>
 *
 * <p>Locking: {@code unwind} may be written by any kernel thread while the
 * program runs; it is a single aligned word, written with volatile semantics
 * and read atomically by the stubs. The other fields are written only before
 * the program starts (ids) or only by the stubs (the saved stack pointers).
 */
public final class ControlBlock {
    static final int HOST_RSP = 0, GUEST_RSP = 8, STACK_TOP = 16, ARGS = 24, ENTRY = 32, PID = 40, PPID = 48, UNWIND = 56;
    /** Bytes used. */
    static final int SIZE = 64;

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment seg;

    ControlBlock(MemorySegment seg) {
        if (seg.byteSize() < SIZE) throw new IllegalArgumentException("control block too small");
        this.seg = seg;
    }

    /** Address of the field at {@code offset}, for the stubs. */
    long field(int offset) { return seg.address() + offset; }

    /** Sets where the program starts: its entry label, its initial stack top (16-byte aligned) and rdi. */
    void setStart(long entry, long stackTop, long args) {
        if ((stackTop & 15) != 0) throw new IllegalArgumentException("stack top not 16-byte aligned");
        seg.set(ValueLayout.JAVA_LONG, ENTRY, entry);
        seg.set(ValueLayout.JAVA_LONG, STACK_TOP, stackTop);
        seg.set(ValueLayout.JAVA_LONG, ARGS, args);
    }

    /** Sets the process and parent ids the native getpid and getppid return. */
    public void setIds(long pid, long ppid) {
        WORD.setVolatile(seg, (long) PID, pid);
        WORD.setVolatile(seg, (long) PPID, ppid);
    }

    /** Asks the stubs to abandon the program when its current upcall returns. */
    public void requestUnwind() { WORD.setVolatile(seg, (long) UNWIND, 1L); }

    /** True once {@link #requestUnwind} was called. */
    public boolean unwindRequested() { return (long) WORD.getVolatile(seg, (long) UNWIND) != 0; }

    /** The program's rsp at its last upcall (meaningful during an upcall). */
    public long guestRsp() { return (long) WORD.getVolatile(seg, (long) GUEST_RSP); }
}
