package ring0.asm;

import static ring0.asm.StubAssembler.at;
import static ring0.isa.Insn.AluOp.ADD;
import static ring0.isa.Insn.AluOp.AND;
import static ring0.isa.Insn.AluOp.CMP;
import static ring0.isa.Insn.AluOp.OR;
import static ring0.isa.Insn.AluOp.SUB;
import static ring0.isa.Reg.R10;
import static ring0.isa.Reg.R12;
import static ring0.isa.Reg.R13;
import static ring0.isa.Reg.R14;
import static ring0.isa.Reg.R15;
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

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * The Linux entry stub: the code at {@code _start} that turns a Linux process
 * into the environment a ring0 program expects, and the thunks that implement
 * the kernel services on Linux. It lives outside the typed image, in its own
 * section, and the ring0 kernel never runs it.
 *
 * <p>{@code _start} picks the gate from the environment variable
 * {@value #GATE_VARIABLE} ({@code syscall}, the default, or {@code int80}),
 * maps the program's stack ({@value #STACK_SIZE} bytes above a
 * {@value #GUARD_SIZE}-byte inaccessible guard) with the argument array right
 * above it, fills each import slot with the address of its thunk for that
 * gate, sets the limit word to {@value #LIMIT_ABOVE_BOTTOM} bytes above the
 * bottom of the stack, and calls the entry label with the argument array in
 * {@code rdi}. The entry label's return value becomes the exit status.
 * {@code docs/abi.md} describes the contract in full.
 *
 * <p>Everything is generated as instruction-model values encoded by
 * {@link Encoder}, except the two instructions the model deliberately lacks:
 * {@code syscall} and {@code int 0x80}.
 */
public final class LinuxStub {
    private LinuxStub() {}

    /** Name of the stub's entry symbol (the ELF entry point). */
    public static final String ENTRY_SYMBOL = "_start";
    /** The environment variable that selects the gate. */
    public static final String GATE_VARIABLE = "RING0_GATE";
    /** Size of the program's stack in bytes. */
    public static final int STACK_SIZE = 8 << 20;
    /** Size of the inaccessible guard region below the stack. */
    public static final int GUARD_SIZE = 4096;
    /** Exit status of the stub when it cannot start the program. */
    public static final int EXIT_STUB_FAILURE = 127;
    /** Message for a bad {@value #GATE_VARIABLE}. */
    public static final String BAD_GATE_MESSAGE = "ring0: RING0_GATE must be syscall or int80\n";
    /** Message when the stack cannot be mapped. */
    public static final String NO_MEMORY_MESSAGE = "ring0: cannot map the program stack\n";
    /**
     * How far above the lowest byte of the stack the limit word points: a
     * poll that finds {@code rsp} at or below it stops the program, which
     * leaves a region (at most 32 KiB of stack) and the stop thunk room to run.
     */
    public static final int LIMIT_ABOVE_BOTTOM = 64 << 10;
    /** Exit status of a program stopped by the stop block (the {@code stop} service), on both gates. */
    public static final int EXIT_STOPPED = 134;
    /** What the {@code stop} service writes to stderr before exiting with {@link #EXIT_STOPPED}. */
    public static final String STOPPED_MESSAGE = "ring0: stopped: stack limit reached\n";

    /**
     * Where the stub keeps the {@code envp} the process started with, for
     * {@code spawn}: this many bytes after the allocator state (whose address
     * is in the reserved word), so in the same mapping, out of the program's reach.
     */
    static final int ENVP_OFFSET = ThunkHeap.STATE_SIZE;

    private static final int SYS_MMAP = 9, SYS_MPROTECT = 10, SYS_EXIT_GROUP = 231;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22, MAP_32BIT_SHIFT = 6; // MAP_32BIT = 0x40 = 1 << 6

    /**
     * A symbol in the stub.
     *
     * @param name   symbol name: {@code _start}, its helper routines {@code _start.*}, or a thunk {@code thunk.<gate>.<service>}
     * @param offset offset from the start of the stub
     * @param size   size in bytes
     */
    public record Symbol(String name, int offset, int size) {}

    /**
     * The generated stub. {@code _start} is at offset 0.
     *
     * @param code    the machine code
     * @param symbols {@code _start}, its helpers and one symbol per thunk
     */
    public record Code(byte[] code, List<Symbol> symbols) {}

    /**
     * Generates the stub for {@code program}.
     *
     * @param program      the program; its imports decide which thunks exist
     * @param imageAddress virtual address at which the program image (its {@code .text}) is loaded
     * @param stubAddress  virtual address of the stub; must be within ±2 GiB of the image
     */
    public static Code build(Program program, long imageAddress, long stubAddress) {
        StubAssembler a = new StubAssembler(stubAddress);
        a.define("entry", imageAddress + program.entryOffset());
        for (int i = 0; i < program.imports().size(); i++) a.define("slot." + i, imageAddress + program.slotOffset(i));
        a.define("limit", imageAddress + program.limitOffset());
        a.define(ThunkHeap.STATE_POINTER, imageAddress + program.reservedOffset());

        a.symbol(ENTRY_SYMBOL);
        chooseGate(a);
        mapStack(a);
        buildArguments(a);
        controlWords(a);
        fillSlots(a, program.imports());
        callEntry(a);
        die(a, "_start.badgate", BAD_GATE_MESSAGE);
        die(a, "_start.nomem", NO_MEMORY_MESSAGE);
        stringRoutines(a);

        Set<Service> services = new LinkedHashSet<>(program.imports());
        for (Service s : services) ThunkSyscall.emit(a, s);
        for (Service s : services) ThunkInt80.emit(a, s);
        if (services.stream().anyMatch(ThunkHeap::uses)) {
            ThunkHeap.allocator(a, false);
            ThunkHeap.allocator(a, true);
        }

        StubAssembler.Result r = a.finish();
        List<Symbol> syms = new ArrayList<>();
        for (StubAssembler.Sym s : r.symbols()) syms.add(new Symbol(s.name(), s.offset(), s.size()));
        return new Code(r.code(), List.copyOf(syms));
    }

    /**
     * Scans envp for the first {@code RING0_GATE=}; leaves r15 = 0 for syscall,
     * 1 for int80, and r12 = argc, r13 = argv.
     */
    private static void chooseGate(StubAssembler a) {
        a.mov(R12, at(RSP, 0));
        a.lea(R13, at(RSP, 8));
        a.lea(R14, at(R13, R12, 8, 8));
        a.zero(R15);
        a.alu(SUB, RSP, 64);
        ThunkCommon.literal(a, GATE_VARIABLE + "=", 0);
        ThunkCommon.literal(a, ThunkSyscall.GATE, 16);
        ThunkCommon.literal(a, ThunkInt80.GATE, 32);
        a.label("_start.env");
        a.mov(RSI, at(R14, 0));
        a.test(Width.QWORD, RSI, RSI);
        a.jcc(Cond.E, "_start.gate");
        a.alu(ADD, R14, 8);
        a.mov(RDI, RSP);
        a.call("_start.prefix");
        a.test(Width.DWORD, RAX, RAX);
        a.jcc(Cond.E, "_start.env");
        a.mov(RBX, RSI);
        a.lea(RDI, at(RSP, 16));
        a.call("_start.equal");
        a.test(Width.DWORD, RAX, RAX);
        a.jcc(Cond.NE, "_start.gate");
        a.mov(RSI, RBX);
        a.lea(RDI, at(RSP, 32));
        a.call("_start.equal");
        a.test(Width.DWORD, RAX, RAX);
        a.jcc(Cond.E, "_start.badgate");
        a.mov32(R15, 1);
        a.label("_start.gate");
        a.alu(ADD, RSP, 64);
    }

    /**
     * Sizes the argument region into rbx, then maps guard + stack + arguments
     * + the heap state and envp (below 2 GiB for int80) and makes the guard
     * inaccessible; rbp = mapping.
     */
    private static void mapStack(StubAssembler a) {
        a.lea(RBX, new Mem(null, R12, 8, 8, false));  // length word + argc pointers
        a.zero(RCX);
        a.label("_start.size");
        a.alu(CMP, RCX, R12);
        a.jcc(Cond.AE, "_start.sized");
        a.mov(RSI, at(R13, RCX, 8, 0));
        a.call("_start.strlen");
        a.lea(RBX, at(RBX, RAX, 1, 16));  // + 8 (length word) + len + 1 (NUL), rounded up to 8
        a.alu(AND, RBX, -8);
        a.inc(RCX);
        a.jmp("_start.size");
        a.label("_start.sized");
        a.lea(RSI, at(RBX, GUARD_SIZE + STACK_SIZE + ENVP_OFFSET + 8 + 4095));
        a.alu(AND, RSI, -4096);
        a.zero(RDI);
        a.mov32(RDX, 3);                                     // PROT_READ | PROT_WRITE
        a.mov(Width.DWORD, R10, R15);
        a.shift(Insn.ShiftOp.SHL, Width.DWORD, R10, MAP_32BIT_SHIFT);
        a.alu(OR, Width.DWORD, R10, new Imm(MAP_PRIVATE_ANONYMOUS));
        a.movq(R8, -1);
        a.zero(R9);
        a.mov32(RAX, SYS_MMAP);
        a.raw(StubAssembler.SYSCALL);
        a.alu(CMP, RAX, -4095);
        a.jcc(Cond.AE, "_start.nomem");
        a.mov(RBP, RAX);
        a.mov(RDI, RAX);
        a.mov32(RSI, GUARD_SIZE);
        a.zero(RDX);                                         // PROT_NONE
        a.mov32(RAX, SYS_MPROTECT);
        a.raw(StubAssembler.SYSCALL);
        a.test(Width.QWORD, RAX, RAX);
        a.jcc(Cond.NE, "_start.nomem");
    }

    /**
     * Builds the argument array at the top of the stack: r8 = the array
     * (length word argc, then argc pointers), each pointing at a byte array
     * (length word, bytes, NUL) laid out after it, 8-byte aligned.
     */
    private static void buildArguments(StubAssembler a) {
        a.lea(R8, at(RBP, GUARD_SIZE + STACK_SIZE));
        a.mov(at(R8, 0), R12);
        a.lea(R9, at(R8, R12, 8, 8));
        a.zero(RCX);
        a.label("_start.fill");
        a.alu(CMP, RCX, R12);
        a.jcc(Cond.AE, "_start.filled");
        a.mov(RSI, at(R13, RCX, 8, 0));
        a.mov(at(R8, RCX, 8, 8), R9);
        a.call("_start.strlen");
        a.mov(at(R9, 0), RAX);
        a.zero(RDX);
        a.label("_start.copy");                              // len + 1 bytes: the string and its NUL
        a.movzxByte(R10, at(RSI, RDX, 1, 0));
        a.mov(Width.BYTE, at(R9, RDX, 1, 8), R10);
        a.inc(RDX);
        a.alu(CMP, RDX, RAX);
        a.jcc(Cond.BE, "_start.copy");
        a.lea(R9, at(R9, RAX, 1, 16));
        a.alu(AND, R9, -8);
        a.inc(RCX);
        a.jmp("_start.fill");
        a.label("_start.filled");
    }

    /**
     * Sets the limit word to {@link #LIMIT_ABOVE_BOTTOM} bytes above the
     * bottom of the stack, and the reserved word to the heap state: the 16
     * zero bytes right after the argument region (r9); stores envp after
     * the heap state.
     */
    private static void controlWords(StubAssembler a) {
        a.lea(RAX, at(RBP, GUARD_SIZE + LIMIT_ABOVE_BOTTOM));
        a.rip("limit", m -> new Insn.Mov(Width.QWORD, m, RAX));
        a.rip(ThunkHeap.STATE_POINTER, m -> new Insn.Mov(Width.QWORD, m, R9));
        a.lea(RAX, at(R13, R12, 8, 8));                     // envp: after argv and its null
        a.mov(at(R9, ENVP_OFFSET), RAX);
    }

    private static void fillSlots(StubAssembler a, List<Service> imports) {
        a.test(Width.DWORD, R15, R15);
        a.jcc(Cond.NE, "_start.slots.int80");
        storeSlots(a, imports, ThunkSyscall.GATE);
        a.jmp("_start.go");
        a.label("_start.slots.int80");
        storeSlots(a, imports, ThunkInt80.GATE);
        a.label("_start.go");
    }

    private static void storeSlots(StubAssembler a, List<Service> imports, String gate) {
        for (int i = 0; i < imports.size(); i++) {
            a.rip(ThunkCommon.name(gate, imports.get(i)), m -> new Insn.Lea(Width.QWORD, RAX, m));
            a.rip("slot." + i, m -> new Insn.Mov(Width.QWORD, m, RAX));
        }
    }

    /** Switches to the new stack, clears the registers, calls the entry label and exits with its eax. */
    private static void callEntry(StubAssembler a) {
        a.mov(RSP, R8);
        a.mov(RDI, R8);
        for (Reg r : Reg.values()) {
            if (r != RSP && r != RDI) a.zero(r);
        }
        a.call("entry");
        a.mov(Width.DWORD, RDI, RAX);
        a.mov32(RAX, SYS_EXIT_GROUP);
        a.raw(StubAssembler.SYSCALL);
    }

    /** At {@code label}: writes {@code message} to stderr and exits with {@link #EXIT_STUB_FAILURE}. */
    private static void die(StubAssembler a, String label, String message) {
        a.symbol(label);
        ThunkCommon.writeAndExit(a, message, EXIT_STUB_FAILURE, false);
    }

    /**
     * Leaf routines used by {@code _start}: {@code prefix} (rax = 1 and rsi
     * advanced past the NUL-terminated pattern at rdi if rsi starts with it),
     * {@code equal} (rax = 1 if the C strings at rdi and rsi are equal) and
     * {@code strlen} (rax = length of the C string at rsi).
     */
    private static void stringRoutines(StubAssembler a) {
        a.symbol("_start.prefix");
        a.movzxByte(RAX, at(RDI, 0));
        a.test(Width.DWORD, RAX, RAX);
        a.jcc(Cond.E, "_start.yes");
        a.alu(CMP, Width.BYTE, RAX, at(RSI, 0));
        a.jcc(Cond.NE, "_start.no");
        a.inc(RDI);
        a.inc(RSI);
        a.jmp("_start.prefix");

        a.symbol("_start.equal");
        a.movzxByte(RAX, at(RDI, 0));
        a.alu(CMP, Width.BYTE, RAX, at(RSI, 0));
        a.jcc(Cond.NE, "_start.no");
        a.test(Width.DWORD, RAX, RAX);
        a.jcc(Cond.E, "_start.yes");
        a.inc(RDI);
        a.inc(RSI);
        a.jmp("_start.equal");

        a.label("_start.yes");
        a.mov32(RAX, 1);
        a.ret();
        a.label("_start.no");
        a.zero(RAX);
        a.ret();

        a.symbol("_start.strlen");
        a.zero(RAX);
        a.label("_start.strlen.loop");
        a.alu(CMP, Width.BYTE, at(RSI, RAX, 1, 0), new Imm(0));
        a.jcc(Cond.E, "_start.strlen.done");
        a.inc(RAX);
        a.jmp("_start.strlen.loop");
        a.label("_start.strlen.done");
        a.ret();
    }
}
