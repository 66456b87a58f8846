package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.asm.ThunkCommon.EFAULT;
import static ring0.asm.ThunkCommon.EINVAL;
import static ring0.asm.ThunkCommon.ENAMETOOLONG;
import static ring0.isa.Insn.AluOp.ADD;
import static ring0.isa.Insn.AluOp.CMP;
import static ring0.isa.Insn.AluOp.OR;
import static ring0.isa.Insn.AluOp.SUB;
import static ring0.isa.Reg.R8;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RBX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RDX;
import static ring0.isa.Reg.RSI;
import static ring0.isa.Reg.RSP;

import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Insn.ShiftOp;
import ring0.isa.Width;

/**
 * Thunks for the {@code int 0x80} gate: each service maps onto the i386 Linux
 * system call with the same meaning, entered with {@code int 0x80} from 64-bit
 * code. The i386 ABI takes arguments in ebx, ecx, edx, esi, edi, ebp and
 * returns in eax, so the thunks save rbx (and rbp where used), truncate every
 * argument to 32 bits after checking that pointers and sizes fit, and
 * sign-extend the result. They do not rely on r8-r11 surviving {@code int 0x80}.
 */
final class ThunkInt80 {
    private ThunkInt80() {}

    static final String GATE = "int80";

    private static final int EXIT_GROUP = 252, READ = 3, WRITE = 4, OPEN = 5, CLOSE = 6, FSYNC = 118, LLSEEK = 140,
            GETPID = 20, GETPPID = 64, FSTAT64 = 197, CLOCK_GETTIME = 265;
    private static final int O_LARGEFILE = 0x8000;
    private static final long FOUR_GIB = 1L << 32;
    private static final int STAT64_SIZE = 96;

    /**
     * Field-by-field conversion of the i386 {@code struct stat64} into the
     * x86-64 {@code struct stat}: {source offset, source size, destination
     * offset, destination size}. 32-bit fields are zero-extended (they are
     * unsigned in {@code stat64}); destination bytes not listed are zeroed.
     */
    private static final int[][] STAT_FIELDS = {
        {0, 8, 0, 8},    // st_dev
        {88, 8, 8, 8},   // st_ino (the 64-bit one at the end of stat64)
        {20, 4, 16, 8},  // st_nlink
        {16, 4, 24, 4},  // st_mode
        {24, 4, 28, 4},  // st_uid
        {28, 4, 32, 4},  // st_gid
        {32, 8, 40, 8},  // st_rdev
        {44, 8, 48, 8},  // st_size
        {52, 4, 56, 8},  // st_blksize
        {56, 8, 64, 8},  // st_blocks
        {64, 4, 72, 8},  // st_atime
        {68, 4, 80, 8},  // st_atime_nsec
        {72, 4, 88, 8},  // st_mtime
        {76, 4, 96, 8},  // st_mtime_nsec
        {80, 4, 104, 8}, // st_ctime
        {84, 4, 112, 8}, // st_ctime_nsec
    };
    /** Destination ranges of {@code struct stat} with no source field: __pad0 and __unused[3]. */
    private static final int[][] STAT_ZEROED = {{36, 4}, {120, 8}, {128, 8}, {136, 8}};

    /** Emits the thunk for {@code s} at label {@link ThunkCommon#name}. */
    static void emit(StubAssembler a, Service s) {
        String n = ThunkCommon.name(GATE, s);
        a.symbol(n);
        switch (s) {
            case EXIT -> {
                a.mov(Width.DWORD, RBX, RDI);
                a.mov32(RAX, EXIT_GROUP);
                a.raw(StubAssembler.INT80);
            }
            case READ -> readWrite(a, n, READ);
            case WRITE -> readWrite(a, n, WRITE);
            case OPEN -> open(a, n);
            case CLOSE -> withRbx(a, CLOSE);
            case FSYNC -> withRbx(a, FSYNC);
            case LSEEK -> lseek(a, n);
            case FSTAT -> fstat(a, n);
            case GETPID -> noArgs(a, GETPID);
            case GETPPID -> noArgs(a, GETPPID);
            case ALLOC, NEWBYTES, NEWWORDS -> ThunkHeap.service(a, n, s, true);
            case CLOCK -> clock(a, n);
            case SPAWN -> ThunkProcess.spawn(a, n, true);
            case WAIT -> ThunkProcess.waitChild(a, n, true);
            case KILL -> ThunkProcess.kill(a, n, true);
            case STOP -> ThunkCommon.writeAndExit(a, LinuxStub.STOPPED_MESSAGE, LinuxStub.EXIT_STOPPED, true);
        }
    }

    /** {@code mov eax, nr; int 0x80; movsxd rax, eax}. */
    private static void call(StubAssembler a, int nr) {
        a.mov32(RAX, nr);
        a.raw(StubAssembler.INT80);
        a.movsxd(RAX, RAX);
    }

    private static void noArgs(StubAssembler a, int nr) {
        call(a, nr);
        a.ret();
    }

    /** One argument from edi into ebx. */
    private static void withRbx(StubAssembler a, int nr) {
        a.push(RBX);
        a.mov(Width.DWORD, RBX, RDI);
        call(a, nr);
        a.pop(RBX);
        a.ret();
    }

    /** read/write(fd, buf, count): count within the length word, and buf+8 .. buf+8+count below 4 GiB. */
    private static void readWrite(StubAssembler a, String n, int nr) {
        a.alu(CMP, RDX, at(RSI, 0));
        a.jcc(Cond.A, n + ".efault");
        a.lea(RCX, at(RSI, 8));
        a.mov(RAX, RCX);
        a.alu(ADD, RAX, RDX);
        a.jcc(Cond.B, n + ".efault");   // carry: the end wrapped around
        a.movq(R8, FOUR_GIB);
        a.alu(CMP, RAX, R8);
        a.jcc(Cond.A, n + ".efault");
        a.push(RBX);
        a.mov(Width.DWORD, RBX, RDI);
        call(a, nr);
        a.pop(RBX);
        a.ret();
        ThunkCommon.fail(a, n + ".efault", EFAULT);
    }

    /**
     * open(path, flags, mode): copy of the path on the (low) stack; O_LARGEFILE added as 64-bit Linux does,
     * and O_CLOEXEC, so that children {@code spawn} starts get only descriptors 0, 1 and 2.
     */
    private static void open(StubAssembler a, String n) {
        int frame = ThunkCommon.PATH_BUFFER; // plus the saved rbx: rsp stays 16-byte aligned
        a.mov(RCX, at(RDI, 0));
        a.alu(CMP, RCX, ThunkCommon.PATH_MAX);
        a.jcc(Cond.A, n + ".toolong");
        ThunkCommon.probeStack(a, frame + 8);
        a.push(RBX);
        a.alu(SUB, RSP, frame);
        ThunkCommon.copyPath(a, n, n + ".nul");
        a.mov(RBX, RSP);
        a.mov(Width.DWORD, RCX, RSI);
        a.alu(OR, Width.DWORD, RCX, new Imm(O_LARGEFILE | ThunkCommon.O_CLOEXEC));
        call(a, OPEN);                   // edx = mode already
        a.alu(ADD, RSP, frame);
        a.pop(RBX);
        a.ret();
        a.label(n + ".nul");
        a.alu(ADD, RSP, frame);
        a.pop(RBX);
        ThunkCommon.fail(a, n + ".einval", EINVAL);
        ThunkCommon.fail(a, n + ".toolong", ENAMETOOLONG);
    }

    /** lseek(fd, offset, whence) as _llseek(fd, high, low, &result, whence). */
    private static void lseek(StubAssembler a, String n) {
        a.push(RBX);
        a.alu(SUB, RSP, 16);           // loff_t result
        a.mov(Width.DWORD, RBX, RDI);
        a.mov(RCX, RSI);
        a.shift(ShiftOp.SHR, Width.QWORD, RCX, 32);
        a.mov(Width.DWORD, RDI, RDX);   // whence
        a.mov(Width.DWORD, RDX, RSI);   // low half
        a.mov(RSI, RSP);
        call(a, LLSEEK);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, n + ".out");
        a.mov(RAX, at(RSP, 0));
        a.label(n + ".out");
        a.alu(ADD, RSP, 16);
        a.pop(RBX);
        a.ret();
    }

    /** fstat(fd, buf): fstat64 into the stack, then converted into buf. */
    private static void fstat(StubAssembler a, String n) {
        int frame = STAT64_SIZE + 16;  // stat64, the saved buf pointer, padding
        a.alu(CMP, Width.QWORD, at(RSI, 0), new Imm(ThunkCommon.STAT_SIZE));
        a.jcc(Cond.B, n + ".efault");
        a.push(RBX);
        a.alu(SUB, RSP, frame);
        a.mov(at(RSP, STAT64_SIZE), RSI);
        a.mov(Width.DWORD, RBX, RDI);
        a.mov(RCX, RSP);
        call(a, FSTAT64);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, n + ".out");
        a.mov(RDI, at(RSP, STAT64_SIZE));
        for (int[] f : STAT_FIELDS) {
            Width src = f[1] == 8 ? Width.QWORD : Width.DWORD;
            a.mov(src, RAX, at(RSP, f[0]));  // a 32-bit load zero-extends
            a.mov(f[3] == 8 ? Width.QWORD : Width.DWORD, at(RDI, 8 + f[2]), RAX);
        }
        for (int[] z : STAT_ZEROED) {
            a.mov(z[1] == 8 ? Width.QWORD : Width.DWORD, at(RDI, 8 + z[0]), new Imm(0));
        }
        a.zero(RAX);
        a.label(n + ".out");
        a.alu(ADD, RSP, frame);
        a.pop(RBX);
        a.ret();
        ThunkCommon.fail(a, n + ".efault", EFAULT);
    }

    /** clock(): clock_gettime(CLOCK_MONOTONIC) with the 32-bit timespec. */
    private static void clock(StubAssembler a, String n) {
        a.push(RBX);
        a.alu(SUB, RSP, 16);
        a.mov32(RBX, 1);                // CLOCK_MONOTONIC
        a.mov(RCX, RSP);
        call(a, CLOCK_GETTIME);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, n + ".out");
        a.movsxd(RAX, at(RSP, 0));
        a.emit(new Insn.Imul3(Width.QWORD, RAX, RAX, 1_000_000_000));
        a.movsxd(RCX, at(RSP, 4));
        a.alu(ADD, RAX, RCX);
        a.label(n + ".out");
        a.alu(ADD, RSP, 16);
        a.pop(RBX);
        a.ret();
    }
}
