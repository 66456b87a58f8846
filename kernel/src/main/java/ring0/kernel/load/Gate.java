package ring0.kernel.load;

import static ring0.isa.Reg.R12;
import static ring0.isa.Reg.R13;
import static ring0.isa.Reg.R14;
import static ring0.isa.Reg.R15;
import static ring0.isa.Reg.R8;
import static ring0.isa.Reg.R9;
import static ring0.isa.Reg.R10;
import static ring0.isa.Reg.R11;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RBP;
import static ring0.isa.Reg.RBX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RDX;
import static ring0.isa.Reg.RSI;
import static ring0.isa.Reg.RSP;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import ring0.isa.Reg;

/**
 * TRUSTED. One process's way in and out of its program: a code page holding
 * the enter stub, the unwind path and one trampoline per import slot, followed
 * by the {@link ControlBlock} page. The code page is written, then made
 * read+execute before anything runs; the code reaches the control block
 * RIP-relatively, so no register has to carry it.
 *
 * <p>{@link #enter()} is an ordinary (non-critical, so upcalls are allowed)
 * FFM downcall. The enter stub saves the host's callee-saved registers and
 * {@code rsp} in the control block, switches to the program's stack, pushes
 * the unwind path as the entry label's return address and jumps to the entry
 * label. Upcall trampolines switch back to the saved host {@code rsp} before
 * calling the kernel, so Java frames never run on the program's stack. The
 * unwind path restores the host {@code rsp} and registers and returns from
 * the downcall: a normal return from the entry label lands there, and so do
 * {@code exit}, {@code stop} and any upcall after which the kernel asked to
 * unwind. See {@code docs/kernel.md}.
 *
 * <p>Locking: {@link #enter()} runs on the process's own thread, once;
 * {@link #close()} only after it returned (or if it never ran).
 */
@SuppressWarnings("restricted") // the enter downcall into generated code is the point of this class
public final class Gate implements AutoCloseable {
    private static final MethodHandle ENTER = Linker.nativeLinker().downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_LONG));
    private static final long PAGE = NativeMemory.PAGE;

    private final MemorySegment mapping;
    private final ControlBlock pcb;
    private final long enterAddress;
    private final long unwindAddress;
    private final long[] trampolines;
    private final byte[] code;
    private final List<Emitter.Line> listing;
    private boolean entered;
    private boolean running;
    private boolean closed;

    private Gate(MemorySegment mapping, Emitter e, long enter, long unwind, long[] trampolines) {
        this.mapping = mapping;
        this.pcb = new ControlBlock(mapping.asSlice(PAGE, PAGE));
        this.enterAddress = enter;
        this.unwindAddress = unwind;
        this.trampolines = trampolines;
        this.code = e.bytes();
        this.listing = e.listing();
    }

    /**
     * Maps and generates the gate for a program whose import slot {@code i}
     * is served by {@code slots.get(i)}; upcalls go to the native function at
     * {@code dispatcher}, called as {@code long f(long number, long a0, long a1, long a2, long a3)}.
     */
    public static Gate create(List<Trampoline> slots, long dispatcher) throws NativeMemoryException {
        MemorySegment m = NativeMemory.map(2 * PAGE, NativeMemory.PROT_READ | NativeMemory.PROT_WRITE);
        try {
            long base = m.address();
            ControlBlock pcb = new ControlBlock(m.asSlice(PAGE, PAGE));
            Emitter e = new Emitter(base);
            long unwind = emitUnwind(e, pcb);
            e.align(16);
            long enter = emitEnter(e, pcb, unwind);
            long[] tramps = new long[slots.size()];
            for (int i = 0; i < tramps.length; i++) {
                e.align(16);
                tramps[i] = e.pc();
                emitTrampoline(e, pcb, slots.get(i), dispatcher, unwind);
            }
            byte[] bytes = e.bytes();
            if (bytes.length > PAGE) throw new IllegalArgumentException("too many trampolines: " + slots.size());
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, m, 0, bytes.length);
            NativeMemory.protect(m, 0, PAGE, NativeMemory.PROT_READ | NativeMemory.PROT_EXEC);
            return new Gate(m, e, enter, unwind, tramps);
        } catch (NativeMemoryException | RuntimeException err) {
            try {
                NativeMemory.unmap(m);
            } catch (NativeMemoryException suppressed) {
                err.addSuppressed(suppressed);
            }
            throw err;
        }
    }

    /** The unwind path: back to the host stack and registers saved by enter, and return from the downcall. */
    private static long emitUnwind(Emitter e, ControlBlock pcb) {
        long at = e.pc();
        e.load(RSP, pcb.field(ControlBlock.HOST_RSP), "back to the host stack saved by enter (the program's frames are abandoned)");
        e.addImm8(RSP, 8, "drop enter's alignment pad");
        e.pop(R15, "restore the host's callee-saved registers, in reverse order of enter's pushes");
        e.pop(R14, "...");
        e.pop(R13, "...");
        e.pop(R12, "...");
        e.pop(RBX, "...");
        e.pop(RBP, "...");
        e.ret("return from the enter downcall with rax (the entry label's result, or the upcall's)");
        return at;
    }

    /** The enter stub: the downcall's target. */
    private static long emitEnter(Emitter e, ControlBlock pcb, long unwind) {
        long at = e.pc();
        e.push(RBP, "save the host's callee-saved registers (SysV): rbp");
        e.push(RBX, "rbx");
        e.push(R12, "r12");
        e.push(R13, "r13");
        e.push(R14, "r14");
        e.push(R15, "r15");
        e.subImm8(RSP, 8, "the call left rsp = 8 mod 16 and six pushes keep it so: align to 16 for upcalls");
        e.store(pcb.field(ControlBlock.HOST_RSP), RSP, "remember the host stack for upcalls and for unwinding");
        e.load(RSP, pcb.field(ControlBlock.STACK_TOP), "switch to the program's stack (16-byte aligned, the argument array just above)");
        e.lea(RAX, unwind, "the entry label's return address is the unwind path");
        e.push(RAX, "push it: rsp = 8 mod 16, as after a call");
        e.load(RDI, pcb.field(ControlBlock.ARGS), "rdi = the argument word array");
        for (Reg r : new Reg[] {RAX, RCX, RDX, RBX, RSI, RBP, R8, R9, R10, R11, R12, R13, R14, R15}) {
            e.zero(r, "the entry contract: every other register is zero");
        }
        e.jumpIndirect(pcb.field(ControlBlock.ENTRY), "start the program at its entry label");
        return at;
    }

    private static void emitTrampoline(Emitter e, ControlBlock pcb, Trampoline t, long dispatcher, long unwind) {
        switch (t) {
            case Trampoline.Native n -> {
                e.load(RAX, pcb.field(n.word().offset), "fast path: the answer is a word of the control block");
                e.ret("back to the program, no upcall");
            }
            case Trampoline.Upcall u -> {
                emitUpcall(e, pcb, u.number(), u.arity(), dispatcher);
                e.compareImm8(pcb.field(ControlBlock.UNWIND), 0, "did the kernel end the process during the call?");
                e.jumpIfNotEqual(unwind, "then abandon the program");
                e.load(RSP, pcb.field(ControlBlock.GUEST_RSP), "back to the program's stack");
                e.ret("return rax to the program");
            }
            case Trampoline.Final f -> {
                emitUpcall(e, pcb, f.number(), f.arity(), dispatcher);
                e.jump(unwind, "this call never returns to the program");
            }
        }
    }

    /** Saves the program's rsp, switches to the host stack and calls the dispatcher; callee-saved registers survive (SysV). */
    private static void emitUpcall(Emitter e, ControlBlock pcb, int number, int arity, long dispatcher) {
        e.store(pcb.field(ControlBlock.GUEST_RSP), RSP, "save the program's rsp");
        e.load(RSP, pcb.field(ControlBlock.HOST_RSP), "switch to the host stack: Java frames never run on the program's stack");
        if (arity >= 4) e.move(R8, RCX, "argument 3 moves to the dispatcher's fifth parameter");
        if (arity >= 3) e.move(RCX, RDX, "argument 2 to the fourth");
        if (arity >= 2) e.move(RDX, RSI, "argument 1 to the third");
        if (arity >= 1) e.move(RSI, RDI, "argument 0 to the second");
        e.moveImm32(RDI, number, "the first parameter is the call number");
        e.moveImm64(RAX, dispatcher, "the kernel's upcall stub");
        e.call(RAX, "into the kernel; rsp is 16-byte aligned here");
    }

    /**
     * Runs the program: the downcall into the enter stub. Returns when the
     * entry label returns or the program is abandoned, with {@code rax} at
     * that point. Call once, on the process's own thread, after
     * {@link ControlBlock#setStart} (via {@link #prepare}).
     */
    public long enter() {
        synchronized (this) {
            if (closed || entered) throw new IllegalStateException(closed ? "gate closed" : "program already entered");
            entered = running = true;
        }
        try {
            return (long) ENTER.invokeExact(MemorySegment.ofAddress(enterAddress));
        } catch (Throwable t) {
            throw new IllegalStateException("enter downcall", t);
        } finally {
            synchronized (this) {
                running = false;
            }
        }
    }

    /** Sets the program's entry label, initial stack top and argument array. */
    public void prepare(long entry, long stackTop, long args) {
        pcb.setStart(entry, stackTop, args);
    }

    /** The control block. */
    public ControlBlock controlBlock() { return pcb; }

    /** Address of the trampoline for import slot {@code i}. */
    public long trampoline(int i) { return trampolines[i]; }

    /** Address of the unwind path (the entry label's return address). */
    long unwindAddress() { return unwindAddress; }

    /** Address of the enter stub. */
    long enterAddress() { return enterAddress; }

    /** Address of the code page. */
    long codeAddress() { return mapping.address(); }

    /** The generated code (for the disassembly test). */
    byte[] code() { return code.clone(); }

    /** The generated instructions with their comments. */
    List<Emitter.Line> listing() { return listing; }

    /** Unmaps the code page and the control block. Only when the program is not running. */
    @Override
    public synchronized void close() throws NativeMemoryException {
        if (closed) return;
        if (running) throw new IllegalStateException("the program is still running");
        closed = true;
        NativeMemory.unmap(mapping);
    }
}
