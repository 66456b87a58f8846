package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RSP;
import static ring0.isa.Reg.R8;

import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn.AluOp;
import ring0.isa.Width;

/** Pieces shared by the thunks of both gates. */
final class ThunkCommon {
    private ThunkCommon() {}

    static final int EFAULT = 14, EINVAL = 22, ENOMEM = 12, ENAMETOOLONG = 36;
    /** Longest path {@code open} accepts, in bytes (without the terminating NUL the thunk adds). */
    static final int PATH_MAX = 4095;
    /** Stack bytes the open thunks reserve for the NUL-terminated copy of the path. */
    static final int PATH_BUFFER = 4096;
    /** Size of the x86-64 {@code struct stat} that fstat writes. */
    static final int STAT_SIZE = 144;

    /** Name of thunk for {@code service} on gate {@code gate} ({@code syscall} or {@code int80}). */
    static String name(String gate, Service service) {
        return "thunk." + gate + "." + service.importName();
    }

    /** {@code mov rax, -errno; ret} under label {@code label}. */
    static void fail(StubAssembler a, String label, int errno) {
        a.label(label);
        a.movq(RAX, -errno);
        a.ret();
    }

    /**
     * Reads a touch of the stack {@code frame} bytes below {@code rsp}, in steps
     * of less than a page, so that a frame that would skip the guard page below
     * the program's stack faults on the guard page instead.
     */
    static void probeStack(StubAssembler a, int frame) {
        for (int d = 2048; ; d += 2048) {
            int probe = Math.min(d, frame);
            a.test(Width.QWORD, at(RSP, -probe), RAX);
            if (probe == frame) return;
        }
    }

    /**
     * Checks the byte-array path in {@code rdi} (its length is already in
     * {@code rcx} and at most {@link #PATH_MAX}), copies it to {@code [rsp]}
     * and appends a NUL. Jumps to {@code embeddedNul} if the path contains a
     * NUL byte, which Linux would silently take as its end. Clobbers rax, r8.
     */
    static void copyPath(StubAssembler a, String prefix, String embeddedNul) {
        a.zero(R8);
        a.label(prefix + ".copy");
        a.alu(AluOp.CMP, R8, RCX);
        a.jcc(Cond.AE, prefix + ".copied");
        a.movzxByte(RAX, at(RDI, R8, 1, 8));
        a.test(Width.DWORD, RAX, RAX);
        a.jcc(Cond.E, embeddedNul);
        a.mov(Width.BYTE, at(RSP, R8, 1, 0), RAX);
        a.inc(R8);
        a.jmp(prefix + ".copy");
        a.label(prefix + ".copied");
        a.mov(Width.BYTE, at(RSP, RCX, 1, 0), new Imm(0));
    }
}
