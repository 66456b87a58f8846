package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RBX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RDX;
import static ring0.isa.Reg.RSI;
import static ring0.isa.Reg.RSP;
import static ring0.isa.Reg.R8;

import java.nio.charset.StandardCharsets;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn.AluOp;
import ring0.isa.Width;

/** Pieces shared by the thunks of both gates. */
final class ThunkCommon {
    private ThunkCommon() {}

    static final int EFAULT = 14, EINVAL = 22, ENAMETOOLONG = 36;
    /** Linux's O_CLOEXEC (the same on x86-64 and i386), which the open thunks add to every open. */
    static final int O_CLOEXEC = 0x80000;
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

    /** Linux system call numbers used to report and exit: x86-64 (syscall) and i386 (int 0x80). */
    private static final int SYS_WRITE = 1, SYS_EXIT_GROUP = 231, I386_WRITE = 4, I386_EXIT_GROUP = 252;

    /**
     * Writes {@code message} (ASCII) to stderr from a buffer on the stack and
     * exits the process with {@code status}; through {@code syscall}, or
     * through {@code int 0x80} when {@code int80} (then the stack must lie
     * below 4 GiB, as it does on that gate).
     */
    static void writeAndExit(StubAssembler a, String message, int status, boolean int80) {
        int length = message.getBytes(StandardCharsets.US_ASCII).length;
        a.alu(AluOp.SUB, RSP, (length + 1 + 15) / 16 * 16);
        literal(a, message, 0);
        if (int80) {
            a.mov32(RBX, 2);
            a.mov(Width.DWORD, RCX, RSP);
            a.mov32(RDX, length);
            a.mov32(RAX, I386_WRITE);
            a.raw(StubAssembler.INT80);
            a.mov32(RBX, status);
            a.mov32(RAX, I386_EXIT_GROUP);
            a.raw(StubAssembler.INT80);
        } else {
            a.mov32(RDI, 2);
            a.mov(RSI, RSP);
            a.mov32(RDX, length);
            a.mov32(RAX, SYS_WRITE);
            a.raw(StubAssembler.SYSCALL);
            a.mov32(RDI, status);
            a.mov32(RAX, SYS_EXIT_GROUP);
            a.raw(StubAssembler.SYSCALL);
        }
    }

    /** Stores {@code s} and a terminating NUL at {@code [rsp + offset]}, 8 bytes at a time through rax. */
    static void literal(StubAssembler a, String s, int offset) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k <= b.length; k += 8) {
            long v = 0;
            for (int j = 0; j < 8 && k + j < b.length; j++) v |= (b[k + j] & 0xffL) << (8 * j);
            a.movq(RAX, v);
            a.mov(at(RSP, offset + k), RAX);
        }
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
