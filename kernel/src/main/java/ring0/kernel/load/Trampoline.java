package ring0.kernel.load;

/**
 * TRUSTED. What the trampoline behind one import slot does. The system-call
 * table ({@code ring0.kernel.sys.Call}) decides which kind each service gets;
 * {@link Gate} generates the code.
 */
public sealed interface Trampoline {
    /** A word of the control block a native trampoline can return without leaving native code. */
    enum Word {
        /** The process id. */
        PID(ControlBlock.PID),
        /** The parent's process id. */
        PPID(ControlBlock.PPID);

        final int offset;

        Word(int offset) { this.offset = offset; }
    }

    /**
     * The fast path: {@code mov rax, [pcb.word]; ret}, with no upcall.
     *
     * @param word the control-block word returned
     */
    record Native(Word word) implements Trampoline {}

    /**
     * The upcall path: switch to the host stack, call the kernel's dispatcher
     * with {@code (number, rdi, rsi, rdx, rcx)}, switch back and return its
     * result, unless the kernel asked to unwind meanwhile.
     *
     * @param number the call's number in the system-call table
     * @param arity  how many argument registers to pass on (0..4)
     */
    record Upcall(int number, int arity) implements Trampoline {
        public Upcall {
            if (arity < 0 || arity > 4) throw new IllegalArgumentException("arity " + arity);
            if (number < 0 || number > 0xffff) throw new IllegalArgumentException("call number " + number);
        }
    }

    /**
     * A call that never returns to the program ({@code exit}, {@code stop}):
     * the upcall records how the process ends, then the trampoline unwinds to
     * the kernel, abandoning the program's frames.
     *
     * @param number the call's number in the system-call table
     * @param arity  how many argument registers to pass on (0..4)
     */
    record Final(int number, int arity) implements Trampoline {
        public Final {
            if (arity < 0 || arity > 4) throw new IllegalArgumentException("arity " + arity);
            if (number < 0 || number > 0xffff) throw new IllegalArgumentException("call number " + number);
        }
    }
}
