package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.asm.ThunkCommon.EFAULT;
import static ring0.asm.ThunkCommon.EINVAL;
import static ring0.asm.ThunkCommon.ENAMETOOLONG;
import static ring0.isa.Insn.AluOp.ADD;
import static ring0.isa.Insn.AluOp.CMP;
import static ring0.isa.Insn.AluOp.OR;
import static ring0.isa.Insn.AluOp.SUB;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RDX;
import static ring0.isa.Reg.RSI;
import static ring0.isa.Reg.RSP;

import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Width;

/**
 * Thunks for the {@code syscall} gate: each service maps onto the x86-64 Linux
 * system call with the same meaning. Arguments arrive in rdi, rsi, rdx, rcx;
 * Linux wants the fourth in r10 (no service here has four).
 */
final class ThunkSyscall {
    private ThunkSyscall() {}

    static final String GATE = "syscall";

    private static final int READ = 0, WRITE = 1, OPEN = 2, CLOSE = 3, FSTAT = 5, FSYNC = 74, LSEEK = 8,
            GETPID = 39, GETPPID = 110, CLOCK_GETTIME = 228, EXIT_GROUP = 231;

    /** Emits the thunk for {@code s} at label {@link ThunkCommon#name}. */
    static void emit(StubAssembler a, Service s) {
        String n = ThunkCommon.name(GATE, s);
        a.symbol(n);
        switch (s) {
            case EXIT -> call(a, EXIT_GROUP);
            case READ -> readWrite(a, n, READ);
            case WRITE -> readWrite(a, n, WRITE);
            case OPEN -> open(a, n);
            case CLOSE -> simple(a, CLOSE);
            case FSYNC -> simple(a, FSYNC);
            case LSEEK -> simple(a, LSEEK);
            case FSTAT -> fstat(a, n);
            case GETPID -> simple(a, GETPID);
            case GETPPID -> simple(a, GETPPID);
            case ALLOC, NEWBYTES, NEWWORDS -> ThunkHeap.service(a, n, s, false);
            case CLOCK -> clock(a, n);
            case SPAWN -> ThunkProcess.spawn(a, n, false);
            case WAIT -> ThunkProcess.waitChild(a, n, false);
            case KILL -> ThunkProcess.kill(a, n, false);
            case STOP -> ThunkCommon.writeAndExit(a, LinuxStub.STOPPED_MESSAGE, LinuxStub.EXIT_STOPPED, false);
        }
    }

    private static void call(StubAssembler a, int nr) {
        a.mov32(RAX, nr);
        a.raw(StubAssembler.SYSCALL);
    }

    private static void simple(StubAssembler a, int nr) {
        call(a, nr);
        a.ret();
    }

    /** read/write(fd, buf, count): count must not exceed buf's length word; Linux gets buf + 8. */
    private static void readWrite(StubAssembler a, String n, int nr) {
        a.alu(CMP, RDX, at(RSI, 0));
        a.jcc(Cond.A, n + ".efault");
        a.alu(ADD, RSI, 8);
        simple(a, nr);
        ThunkCommon.fail(a, n + ".efault", EFAULT);
    }

    /**
     * open(path, flags | O_CLOEXEC, mode): the path byte array is copied, NUL-terminated, to the stack.
     * Close-on-exec keeps the descriptor from children that {@code spawn} starts (they get only 0, 1, 2).
     */
    private static void open(StubAssembler a, String n) {
        int frame = ThunkCommon.PATH_BUFFER + 8; // keeps rsp 16-byte aligned
        a.mov(RCX, at(RDI, 0));
        a.alu(CMP, RCX, ThunkCommon.PATH_MAX);
        a.jcc(Cond.A, n + ".toolong");
        ThunkCommon.probeStack(a, frame);
        a.alu(SUB, RSP, frame);
        ThunkCommon.copyPath(a, n, n + ".nul");
        a.mov(RDI, RSP);
        a.alu(OR, Width.DWORD, RSI, new Imm(ThunkCommon.O_CLOEXEC));
        call(a, OPEN);
        a.alu(ADD, RSP, frame);
        a.ret();
        a.label(n + ".nul");
        a.alu(ADD, RSP, frame);
        ThunkCommon.fail(a, n + ".einval", EINVAL);
        ThunkCommon.fail(a, n + ".toolong", ENAMETOOLONG);
    }

    /** fstat(fd, buf): buf must hold a whole {@code struct stat}. */
    private static void fstat(StubAssembler a, String n) {
        a.alu(CMP, Width.QWORD, at(RSI, 0), new Imm(ThunkCommon.STAT_SIZE));
        a.jcc(Cond.B, n + ".efault");
        a.alu(ADD, RSI, 8);
        simple(a, FSTAT);
        ThunkCommon.fail(a, n + ".efault", EFAULT);
    }

    /** clock(): CLOCK_MONOTONIC in nanoseconds. */
    private static void clock(StubAssembler a, String n) {
        a.alu(SUB, RSP, 24);           // struct timespec, keeping rsp 16-byte aligned
        a.mov32(RDI, 1);               // CLOCK_MONOTONIC
        a.mov(RSI, RSP);
        call(a, CLOCK_GETTIME);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, n + ".out");
        a.emit(new Insn.Imul3(Width.QWORD, RAX, at(RSP, 0), 1_000_000_000));
        a.alu(ADD, RAX, at(RSP, 8));
        a.label(n + ".out");
        a.alu(ADD, RSP, 24);
        a.ret();
    }
}
