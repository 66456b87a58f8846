package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.isa.Insn.AluOp.ADD;
import static ring0.isa.Insn.AluOp.AND;
import static ring0.isa.Insn.AluOp.CMP;
import static ring0.isa.Insn.AluOp.SUB;
import static ring0.isa.Reg.R10;
import static ring0.isa.Reg.R8;
import static ring0.isa.Reg.R9;
import static ring0.isa.Reg.RAX;
import static ring0.isa.Reg.RBP;
import static ring0.isa.Reg.RBX;
import static ring0.isa.Reg.RCX;
import static ring0.isa.Reg.RDI;
import static ring0.isa.Reg.RDX;
import static ring0.isa.Reg.RSI;
import static ring0.isa.Reg.RSP;

import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * The process thunks, {@code spawn}, {@code wait} and {@code kill}, for both
 * gates. They follow the ring0 kernel's rules (docs/abi.md):
 *
 * <ul>
 * <li>{@code spawn(path, args)} opens the file (close-on-exec), requires a
 * regular file with an execute bit (else -EACCES) that starts with the ELF
 * magic (else -ENOEXEC: Linux would run a {@code #!} script, the kernel does
 * not), then {@code vfork}s; the child runs {@code execveat(fd, "", argv,
 * envp, AT_EMPTY_PATH)}, so exactly the file checked is executed, and on
 * failure stores -errno in the thunk's frame (vfork shares the memory) and
 * exits with 127; the parent, resumed once the child has executed or exited,
 * reaps such a child and returns the error, else the pid. The environment is
 * the one the process started with (so the child uses the same gate).
 * <li>{@code wait(pid)} is {@code wait4(pid, &status, 0, NULL)}, repeated on
 * EINTR, for {@code 1 <= pid <= 2^31-1} only (else -ECHILD): never "any
 * child" or a process group. The status is decoded: an exit status, or 128 +
 * the signal.
 * <li>{@code kill(pid)} sends SIGKILL to the process itself or to a child
 * (live or not yet waited for, as {@code waitid(P_PID, pid, WEXITED | WNOHANG
 * | WNOWAIT)} tells); -EINVAL for {@code pid <= 0} (kill(0) and kill(-1)
 * never reach Linux), -ESRCH for no such process, -EPERM for any other.
 * </ul>
 */
final class ThunkProcess {
    private ThunkProcess() {}

    private static final int E2BIG = 7, ENOEXEC = 8, ECHILD = 10, ENOMEM = 12, EACCES = 13, ESRCH = 3, EPERM = 1,
            EINTR = 4;
    /** Most argument pieces after argument 0. */
    static final int MAX_ARGS = 255;
    private static final int O_FLAGS = 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
    private static final int O_LARGEFILE = 0x8000, AT_EMPTY_PATH = 0x1000;
    private static final int S_IFMT = 0xf000, S_IFREG = 0x8000, ANY_EXEC = 0111;
    private static final int ELF_MAGIC = 0x464c457f; // "\x7fELF" little-endian
    private static final int SIGKILL = 9, P_PID = 1, WAITID_OPTIONS = 4 | 1 | 0x01000000; // WEXITED|WNOHANG|WNOWAIT
    private static final int SIGINFO_SIZE = 128;
    private static final int EXIT_EXEC_FAILED = 127;
    private static final long FOUR_GIB = 1L << 32;

    /** Linux system call numbers: x86-64 ({@code syscall}) and i386 ({@code int 0x80}). */
    private enum Nr {
        READ(0, 3), OPEN(2, 5), CLOSE(3, 6), FSTAT(5, 197 /* fstat64 */), MUNMAP(11, 91), GETPID(39, 20),
        VFORK(58, 190), WAIT4(61, 114), KILL(62, 37), EXIT_GROUP(231, 252), WAITID(247, 284),
        EXECVEAT(322, 358), MMAP2(-1, 192);

        final int x64, i386;

        Nr(int x64, int i386) { this.x64 = x64; this.i386 = i386; }
    }

    /** The argument registers of a gate and how it enters Linux. */
    private record Gate(boolean int80) {
        private static final Reg[] SYSCALL_ARGS = {RDI, RSI, RDX, R10, R8, R9};
        private static final Reg[] INT80_ARGS = {RBX, RCX, RDX, RSI, RDI, RBP};

        /** The register that carries argument {@code i} (from 0) of a system call. */
        Reg arg(int i) { return (int80 ? INT80_ARGS : SYSCALL_ARGS)[i]; }

        /** Enters Linux; the result (sign-extended on int80) is in rax. */
        void call(StubAssembler a, Nr nr) {
            a.mov32(RAX, int80 ? nr.i386 : nr.x64);
            if (int80) {
                a.raw(StubAssembler.INT80);
                a.movsxd(RAX, RAX);
            } else {
                a.raw(StubAssembler.SYSCALL);
            }
        }

        /** {@code mov arg(i), src}: 32 bits on int80 (every value there fits). */
        void arg(StubAssembler a, int i, Reg src) { a.mov(int80 ? Width.DWORD : Width.QWORD, arg(i), src); }

        /** {@code mov arg(i), [rsp + offset]}. */
        void argFrom(StubAssembler a, int i, int offset) { a.mov(int80 ? Width.DWORD : Width.QWORD, arg(i), at(RSP, offset)); }

        /** {@code mov arg(i), imm}. */
        void argImm(StubAssembler a, int i, long imm) {
            if (imm == 0) a.zero(arg(i)); else if (int80) a.mov32(arg(i), imm); else a.movq(arg(i), imm);
        }

        /** {@code lea arg(i), [rsp + offset]}. */
        void argAt(StubAssembler a, int i, int offset) { a.lea(arg(i), at(RSP, offset)); }

        /** Bytes of the callee-saved registers the thunks of this gate push (rbx and rbp: system call arguments). */
        int saved() { return int80 ? 16 : 0; }

        void save(StubAssembler a) {
            if (int80) {
                a.push(RBX);
                a.push(RBP);
            }
        }

        void restore(StubAssembler a) {
            if (int80) {
                a.pop(RBP);
                a.pop(RBX);
            }
        }
    }

    // The spawn frame, as offsets from rsp.
    private static final int PATH = 0;                                  // NUL-terminated copy of the path
    private static final int ARGV = PATH + ThunkCommon.PATH_BUFFER;     // argv: up to 1 + 255 pointers and a null
    private static final int STAT = ARGV + 8 * (MAX_ARGS + 2);          // struct stat (144) or stat64 (96)
    private static final int MAGIC = STAT + ThunkCommon.STAT_SIZE;      // the file's first 4 bytes, then 4 zero bytes ("")
    private static final int ERR = MAGIC + 8;                           // -errno from the vfork child, or 0
    private static final int FD = ERR + 8;                              // the open program file
    private static final int PID = FD + 8;                              // the child (or vfork's error)
    private static final int ENVP = PID + 8;                            // the environment for execveat
    private static final int ENV_MAP = ENVP + 8;                        // int80: the copy of the environment
    private static final int ENV_SIZE = ENV_MAP + 8;                    // int80: its size
    private static final int ENV_COUNT = ENV_SIZE + 8;                  // int80: number of variables
    private static final int RESULT = ENV_COUNT + 8;                    // the result, while the file is closed
    /**
     * The spawn frame (6,376 bytes), rounded so that rsp stays 16-byte aligned (entry rsp = 8 mod 16, plus
     * the saved registers); with the return address and the saved registers the thunk uses 6,384 bytes of
     * stack on the syscall gate and 6,400 on int80 (docs/abi.md).
     */
    static final int SPAWN_FRAME = (RESULT + 8 + 15) / 16 * 16 + 8;
    /** Offset of st_mode in the x86-64 struct stat and in the i386 struct stat64. */
    private static final int MODE_X64 = 24, MODE_STAT64 = 16;

    /** {@code spawn(path, args)} at label {@code n}, already placed. */
    static void spawn(StubAssembler a, String n, boolean int80) {
        Gate g = new Gate(int80);
        a.mov(RCX, at(RDI, 0));
        a.alu(CMP, RCX, ThunkCommon.PATH_MAX);
        a.jcc(Cond.A, n + ".toolong");
        if (int80) {                      // the args pieces are given to Linux in place: below 4 GiB
            a.mov(RAX, RSI);
            a.alu(ADD, RAX, at(RSI, 0));
            a.jcc(Cond.B, n + ".efault");
            a.alu(ADD, RAX, 8);
            a.jcc(Cond.B, n + ".efault");
            a.movq(R8, FOUR_GIB);
            a.alu(CMP, RAX, R8);
            a.jcc(Cond.A, n + ".efault");
        }
        ThunkCommon.probeStack(a, SPAWN_FRAME + g.saved());
        g.save(a);
        a.alu(SUB, RSP, SPAWN_FRAME);
        ThunkCommon.copyPath(a, n, n + ".nul");
        argv(a, n, int80);
        checkFile(a, n, g);
        if (int80) copyEnvironment(a, n, g);
        else {
            a.rip(ThunkHeap.STATE_POINTER, m -> new Insn.Mov(Width.QWORD, RAX, m));
            a.mov(RAX, at(RAX, LinuxStub.ENVP_OFFSET));
            a.mov(at(RSP, ENVP), RAX);
        }
        forkExec(a, n, g);

        a.label(n + ".close");            // close the file, keeping the result in rax
        a.mov(at(RSP, RESULT), RAX);
        g.argFrom(a, 0, FD);
        g.call(a, Nr.CLOSE);
        a.mov(RAX, at(RSP, RESULT));
        a.label(n + ".out");
        a.alu(ADD, RSP, SPAWN_FRAME);
        g.restore(a);
        a.ret();
        failIn(a, n + ".nul", -ThunkCommon.EINVAL, n + ".out");
        failIn(a, n + ".argsbad", -ThunkCommon.EINVAL, n + ".out");
        failIn(a, n + ".e2big", -E2BIG, n + ".out");
        failIn(a, n + ".eacces", -EACCES, n + ".close");
        failIn(a, n + ".enoexec", -ENOEXEC, n + ".close");
        failIn(a, n + ".enomem", -ENOMEM, n + ".close");
        if (int80) failIn(a, n + ".envbig", -E2BIG, n + ".close");
        ThunkCommon.fail(a, n + ".toolong", ThunkCommon.ENAMETOOLONG);
        if (int80) ThunkCommon.fail(a, n + ".efault", ThunkCommon.EFAULT);
    }

    /** At {@code label}: rax = {@code value}, then on to {@code then}. */
    private static void failIn(StubAssembler a, String label, long value, String then) {
        a.label(label);
        a.movq(RAX, value);
        a.jmp(then);
    }

    /**
     * Builds argv in the frame: the path copy, then a pointer to each
     * NUL-terminated piece of {@code args} (rsi) in place, then a null;
     * 8-byte pointers, or 4-byte ones on int80 (the i386 execveat reads
     * 32-bit pointers).
     */
    private static void argv(StubAssembler a, String n, boolean int80) {
        Width w = int80 ? Width.DWORD : Width.QWORD;
        int scale = int80 ? 4 : 8;
        a.mov(RAX, RSP);
        a.mov(w, at(RSP, ARGV), RAX);
        a.mov32(R9, 1);                           // entries so far
        a.mov(RDX, at(RSI, 0));
        a.test(Width.QWORD, RDX, RDX);
        a.jcc(Cond.E, n + ".argsdone");
        a.alu(CMP, Width.BYTE, at(RSI, RDX, 1, 7), new Imm(0));
        a.jcc(Cond.NE, n + ".argsbad");
        a.lea(R8, at(RSI, 8));                    // the piece being scanned
        a.zero(RCX);
        a.label(n + ".scan");
        a.alu(CMP, RCX, RDX);
        a.jcc(Cond.AE, n + ".argsdone");
        a.alu(CMP, Width.BYTE, at(RSI, RCX, 1, 8), new Imm(0));
        a.jcc(Cond.NE, n + ".next");
        a.alu(CMP, R9, MAX_ARGS + 1);
        a.jcc(Cond.AE, n + ".e2big");
        a.mov(w, at(RSP, R9, scale, ARGV), R8);
        a.inc(R9);
        a.lea(R8, at(RSI, RCX, 1, 9));
        a.label(n + ".next");
        a.inc(RCX);
        a.jmp(n + ".scan");
        a.label(n + ".argsdone");
        a.mov(w, at(RSP, R9, scale, ARGV), new Imm(0));
    }

    /**
     * Opens the path copy (close-on-exec) into the frame's FD and requires a
     * regular file with an execute bit (else -EACCES) whose first four bytes
     * are the ELF magic (else -ENOEXEC). Errors of open go straight out;
     * later ones close the file first.
     */
    private static void checkFile(StubAssembler a, String n, Gate g) {
        g.argAt(a, 0, PATH);
        g.argImm(a, 1, O_FLAGS | (g.int80() ? O_LARGEFILE : 0));
        g.argImm(a, 2, 0);
        g.call(a, Nr.OPEN);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.S, n + ".out");
        a.mov(at(RSP, FD), RAX);
        g.arg(a, 0, RAX);
        g.argAt(a, 1, STAT);
        g.call(a, Nr.FSTAT);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.S, n + ".close");
        a.mov(Width.DWORD, RAX, at(RSP, STAT + (g.int80() ? MODE_STAT64 : MODE_X64)));
        a.mov(Width.DWORD, RCX, RAX);
        a.alu(AND, Width.DWORD, RCX, new Imm(S_IFMT));
        a.alu(CMP, Width.DWORD, RCX, new Imm(S_IFREG));
        a.jcc(Cond.NE, n + ".eacces");
        a.test(Width.DWORD, RAX, new Imm(ANY_EXEC));
        a.jcc(Cond.E, n + ".eacces");
        a.mov(Width.QWORD, at(RSP, MAGIC), new Imm(0));
        g.argFrom(a, 0, FD);
        g.argAt(a, 1, MAGIC);
        g.argImm(a, 2, 4);
        g.call(a, Nr.READ);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.S, n + ".close");
        a.alu(CMP, RAX, 4);
        a.jcc(Cond.NE, n + ".enoexec");
        a.alu(CMP, Width.DWORD, at(RSP, MAGIC), new Imm(ELF_MAGIC));
        a.jcc(Cond.NE, n + ".enoexec");
    }

    /**
     * int80: the environment strings lie on the initial Linux stack, above
     * 4 GiB, where the i386 execveat cannot read them. Copies them and an
     * array of 32-bit pointers to them into a fresh mapping (below 4 GiB,
     * as every mapping made through int 0x80 is); its address goes to ENVP
     * and ENV_MAP, its size to ENV_SIZE. -ENOMEM if it cannot be had,
     * -E2BIG if it would take 2 GiB or more.
     */
    private static void copyEnvironment(StubAssembler a, String n, Gate g) {
        loadEnvp(a, RSI);
        a.zero(RCX);                              // variables
        a.zero(RDX);                              // bytes of strings, with their NULs
        a.label(n + ".envcount");
        a.mov(RAX, at(RSI, RCX, 8, 0));
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.E, n + ".envcounted");
        a.label(n + ".envlen");
        a.movzxByte(R8, at(RAX, 0));
        a.inc(RAX);
        a.inc(RDX);
        a.test(Width.DWORD, R8, R8);
        a.jcc(Cond.NE, n + ".envlen");
        a.inc(RCX);
        a.jmp(n + ".envcount");
        a.label(n + ".envcounted");
        a.mov(at(RSP, ENV_COUNT), RCX);
        a.lea(RDX, at(RDX, RCX, 4, 4));          // plus the pointers and the null
        a.alu(CMP, RDX, Integer.MAX_VALUE);       // (Linux's own limits keep it far smaller)
        a.jcc(Cond.A, n + ".envbig");
        a.mov(at(RSP, ENV_SIZE), RDX);
        g.argImm(a, 0, 0);
        g.arg(a, 1, RDX);
        g.argImm(a, 2, 3);                        // PROT_READ | PROT_WRITE
        g.argImm(a, 3, 0x22);                     // MAP_PRIVATE | MAP_ANONYMOUS
        g.argImm(a, 4, -1);
        g.argImm(a, 5, 0);
        a.mov32(RAX, Nr.MMAP2.i386);
        a.raw(StubAssembler.INT80);
        a.alu(CMP, Width.DWORD, RAX, new Imm(-4095));
        a.jcc(Cond.AE, n + ".enomem");
        a.mov(Width.DWORD, RAX, RAX);             // the address may have bit 31 set: zero-extend
        a.mov(at(RSP, ENV_MAP), RAX);
        a.mov(at(RSP, ENVP), RAX);
        a.mov(RDI, RAX);                          // the next pointer
        a.mov(RCX, at(RSP, ENV_COUNT));
        a.lea(R8, at(RAX, RCX, 4, 4));           // the next string byte
        loadEnvp(a, RSI);
        a.label(n + ".envcopy");
        a.mov(RAX, at(RSI, 0));
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.E, n + ".envcopied");
        a.mov(Width.DWORD, at(RDI, 0), R8);
        a.alu(ADD, RDI, 4);
        a.alu(ADD, RSI, 8);
        a.label(n + ".envbyte");
        a.movzxByte(RDX, at(RAX, 0));
        a.mov(Width.BYTE, at(R8, 0), RDX);
        a.inc(RAX);
        a.inc(R8);
        a.test(Width.DWORD, RDX, RDX);
        a.jcc(Cond.NE, n + ".envbyte");
        a.jmp(n + ".envcopy");
        a.label(n + ".envcopied");
        a.mov(Width.DWORD, at(RDI, 0), new Imm(0));
    }

    /** {@code r} = the envp the process started with (the stub keeps it after the allocator state). */
    private static void loadEnvp(StubAssembler a, Reg r) {
        a.rip(ThunkHeap.STATE_POINTER, m -> new Insn.Mov(Width.QWORD, r, m));
        a.mov(r, at(r, LinuxStub.ENVP_OFFSET));
    }

    /**
     * vfork; the child execveat's the open file and on failure leaves -errno
     * in ERR and exits with 127; the parent (int80: unmaps the environment
     * copy) reaps a child that failed and returns its error, else returns
     * the pid; either way on to {@code .close}.
     */
    private static void forkExec(StubAssembler a, String n, Gate g) {
        a.mov(Width.QWORD, at(RSP, ERR), new Imm(0));
        g.call(a, Nr.VFORK);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, n + ".parent");
        // The child, on the parent's stack and memory until it executes or exits.
        g.argFrom(a, 0, FD);
        g.argAt(a, 1, MAGIC + 4);                 // ""
        g.argAt(a, 2, ARGV);
        g.argFrom(a, 3, ENVP);
        g.argImm(a, 4, AT_EMPTY_PATH);
        g.call(a, Nr.EXECVEAT);
        a.mov(at(RSP, ERR), RAX);
        g.argImm(a, 0, EXIT_EXEC_FAILED);
        g.call(a, Nr.EXIT_GROUP);

        a.label(n + ".parent");
        a.mov(at(RSP, PID), RAX);
        if (g.int80()) {
            g.argFrom(a, 0, ENV_MAP);
            g.argFrom(a, 1, ENV_SIZE);
            g.call(a, Nr.MUNMAP);
        }
        a.mov(RAX, at(RSP, PID));
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.S, n + ".close");              // vfork failed
        a.alu(CMP, Width.QWORD, at(RSP, ERR), new Imm(0));
        a.jcc(Cond.E, n + ".close");              // executing: the pid
        a.label(n + ".reap");
        g.argFrom(a, 0, PID);
        g.argImm(a, 1, 0);
        g.argImm(a, 2, 0);
        g.argImm(a, 3, 0);
        g.call(a, Nr.WAIT4);
        a.alu(CMP, RAX, -EINTR);
        a.jcc(Cond.E, n + ".reap");
        a.mov(RAX, at(RSP, ERR));
    }

    /** {@code wait(pid)} at label {@code n}, already placed. */
    static void waitChild(StubAssembler a, String n, boolean int80) {
        Gate g = new Gate(int80);
        a.lea(RAX, at(RDI, -1));
        a.alu(CMP, RAX, Integer.MAX_VALUE - 1);
        a.jcc(Cond.A, n + ".echild");             // pid <= 0 or above 2^31 - 1 (unsigned compare)
        if (int80) a.push(RBX);
        a.alu(SUB, RSP, int80 ? 16 : 24);         // the status word; rsp stays 16-byte aligned
        a.mov(at(RSP, 8), RDI);
        a.label(n + ".retry");
        g.argFrom(a, 0, 8);
        g.argAt(a, 1, 0);
        g.argImm(a, 2, 0);
        g.argImm(a, 3, 0);
        g.call(a, Nr.WAIT4);
        a.alu(CMP, RAX, -EINTR);
        a.jcc(Cond.E, n + ".retry");
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.S, n + ".out");
        a.mov(Width.DWORD, RAX, at(RSP, 0));
        a.mov(Width.DWORD, RCX, RAX);
        a.alu(AND, Width.DWORD, RCX, new Imm(0x7f));
        a.jcc(Cond.NE, n + ".signaled");
        a.shift(Insn.ShiftOp.SHR, Width.DWORD, RAX, 8);
        a.alu(AND, Width.DWORD, RAX, new Imm(0xff));
        a.jmp(n + ".out");
        a.label(n + ".signaled");
        a.lea(RAX, at(RCX, 128));
        a.label(n + ".out");
        a.alu(ADD, RSP, int80 ? 16 : 24);
        if (int80) a.pop(RBX);
        a.ret();
        ThunkCommon.fail(a, n + ".echild", ECHILD);
    }

    /** {@code kill(pid)} at label {@code n}, already placed. */
    static void kill(StubAssembler a, String n, boolean int80) {
        Gate g = new Gate(int80);
        int frame = SIGINFO_SIZE + 16 - (int80 ? 8 : 0);  // siginfo, the pid; rsp stays 16-byte aligned
        a.test(Width.QWORD, RDI, RDI);
        a.jcc(Cond.LE, n + ".einval");
        a.alu(CMP, RDI, Integer.MAX_VALUE);
        a.jcc(Cond.A, n + ".esrch");
        if (int80) a.push(RBX);
        a.alu(SUB, RSP, frame);
        a.mov(at(RSP, SIGINFO_SIZE), RDI);
        g.call(a, Nr.GETPID);
        a.alu(CMP, RAX, at(RSP, SIGINFO_SIZE));
        a.jcc(Cond.E, n + ".kill");
        g.argImm(a, 0, P_PID);                    // a child, live or not yet waited for?
        g.argFrom(a, 1, SIGINFO_SIZE);
        g.argAt(a, 2, 0);
        g.argImm(a, 3, WAITID_OPTIONS);
        g.argImm(a, 4, 0);
        g.call(a, Nr.WAITID);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.E, n + ".kill");
        g.argFrom(a, 0, SIGINFO_SIZE);            // not ours: does it exist at all?
        g.argImm(a, 1, 0);
        g.call(a, Nr.KILL);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, n + ".out");
        a.movq(RAX, -EPERM);
        a.jmp(n + ".out");
        a.label(n + ".kill");
        g.argFrom(a, 0, SIGINFO_SIZE);
        g.argImm(a, 1, SIGKILL);
        g.call(a, Nr.KILL);
        a.label(n + ".out");
        a.alu(ADD, RSP, frame);
        if (int80) a.pop(RBX);
        a.ret();
        ThunkCommon.fail(a, n + ".einval", ThunkCommon.EINVAL);
        ThunkCommon.fail(a, n + ".esrch", ESRCH);
    }
}
